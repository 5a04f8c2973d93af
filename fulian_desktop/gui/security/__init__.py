"""Who may do what: signing in, the lock screen, the 账号与安全 menu, accounts, the audit trail, the administrator's window."""
