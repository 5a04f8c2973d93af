"""妇联维权工作台 (Fulian Desktop)."""

__version__ = "0.1.0"
APP_NAME = "妇联维权工作台"


def use_sqlcipher() -> None:
    """Make sqlite-utils use SQLCipher: it imports a module named `pysqlite3` in preference to the
    standard `sqlite3`, so `sqlcipher3` is registered under that name before sqlite-utils is first
    imported. Then every connection, and every exception class sqlite-utils catches, comes from the
    one driver (store/connection.py opens the connections).

    Called as the database layer loads (store/connection.py, which makes every connection the program uses), not as
    this package loads: the sign-in window, which opens no database, then no longer loads SQLCipher and its OpenSSL
    in front of its first paint (≈ 4 ms, issue 22)."""
    import sys

    import sqlcipher3
    import sqlcipher3.dbapi2

    sys.modules["pysqlite3"] = sqlcipher3
    sys.modules["pysqlite3.dbapi2"] = sqlcipher3.dbapi2
    utils = sys.modules.get("sqlite_utils.utils")
    if utils is not None and getattr(utils, "sqlite3", None) is not sqlcipher3:  # imported before us
        for module in (utils, sys.modules.get("sqlite_utils.db")):
            if module is not None:
                module.sqlite3 = sqlcipher3  # type: ignore[attr-defined]
                module.OperationalError = sqlcipher3.dbapi2.OperationalError  # type: ignore[attr-defined]
        utils.dbapi2 = sqlcipher3.dbapi2  # type: ignore[attr-defined]

