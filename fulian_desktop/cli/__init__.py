"""The command line: fill a database with demo data, search cases, print a case to PDF, check the
audit trail, report, import, export, back up and restore.

    python -m fulian_desktop.cli demo --db demo.db --cases 1000
    python -m fulian_desktop.cli search 张三 --db demo.db [--json] [--limit 50]
    python -m fulian_desktop.cli print 信访〔2026〕第0001号 --out case.pdf --db demo.db
    python -m fulian_desktop.cli audit verify --db demo.db
    python -m fulian_desktop.cli audit export --out audit.csv --db demo.db

`--db` defaults to the FULIAN_DB environment variable, else the user's default database.
Every command that reads or changes data signs in: the user name and password come from the
FULIAN_USER and FULIAN_PASSWORD environment variables (for scheduled tasks), else they are asked for
on the terminal (the password without echo); never from an argument. What the command does is
recorded in the audit trail like the same action in the window. `demo` on a new file makes a demo
administrator and a demo staff account and prints their user names and passwords.
Messages are in Chinese; errors go to stderr with exit code 2 (wrong usage) or 1 (anything else),
never as a traceback. No Qt here: app.py hands over to `main.main(argv)` when given a subcommand.
Logs record which command ran and how it ended, never names, ID numbers, phones or case text.

The rooms: main.py (the parser and the entry point), common.py (what every command shares: the database
path, signing in, tables for the console; no command module imports main.py), cases.py (demo, search,
print, audit), reports.py (report, import, export), backup.py (backup, verify, restore).
"""
