"""Backup, verification and restore (no Qt).

- container.py: the backup file — one file, encrypted and authenticated in chunks (AES-256-GCM, key from
  Argon2id), so that a lost USB stick shows nothing and a truncated or altered file is refused.
- snapshot.py: one moment of the live (SQLCipher) database while others keep saving: the file's own encrypted
  pages under one held read (else SQLite's online backup API's copy), its row counts, the page check, the
  integrity check.
- files.py: file names, writing to a stick (fsync, rename into place), keeping the last N, error messages; where
  the local snapshots go and the note of the weekly check (light: the start page reads it).
- drives.py: is a path on a removable drive or a network share.
- engine.py: back up (snapshot, write, read back, decrypt, check, adopt), the weekly check of the live database, open a backup (check it and show what
  it holds), restore (keep the current database aside, put the backup in its place).

The services (services/backup.py) add permissions, settings and the audit trail; the window
(gui/backup/backup_dialog.py, gui/backup/restore_dialog.py) and the command line (cli/backup.py) call them.
"""
