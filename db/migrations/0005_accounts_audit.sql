-- Staff accounts and the audit trail.
--
-- Accounts: one per person (nobody shares). The password itself never comes here: its Argon2id hash
-- and the wrapped database key it unlocks live in the key file next to the database (store/keys.py),
-- because they are needed before the (encrypted) database can be opened.
CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY,
    username     TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    roles        TEXT NOT NULL DEFAULT '',      -- role codes separated by commas: window,mediator,director,admin
    active       INTEGER NOT NULL DEFAULT 1,
    must_change  INTEGER NOT NULL DEFAULT 0,    -- a password set by an administrator: change it at next sign-in
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    last_login   TEXT
) STRICT;

-- The audit trail: append-only, each entry chained to the one before by a SHA-256 hash of its
-- canonical form (store/audit.py). Entries carry case ids, field names and codes, never names,
-- ID numbers, phones or case text.
CREATE TABLE audit (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     INTEGER,                       -- accounts.id (NULL: the program itself, or no account)
    actor        TEXT NOT NULL DEFAULT '',      -- the account's user name at the time
    event        TEXT NOT NULL,                 -- login, case.create, case.update, case.view, ...
    operation    TEXT NOT NULL DEFAULT '',      -- the service call, e.g. petitions.accept
    case_id      INTEGER,
    target       TEXT NOT NULL DEFAULT '',      -- what else it was about: a setting key, an account id, ...
    detail       TEXT NOT NULL DEFAULT '{}',    -- JSON: field names, status codes, counts
    result       TEXT NOT NULL DEFAULT 'ok',    -- ok / denied / failed
    history_hash TEXT NOT NULL DEFAULT '',      -- SHA-256 of this entry's record_history rows
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
) STRICT;
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_case ON audit (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX audit_actor ON audit (actor_id, at);
CREATE INDEX audit_event ON audit (event, at);

-- Old and new values of the fields an entry changed: kept only here, inside the encrypted database.
CREATE TABLE record_history (
    id        INTEGER PRIMARY KEY,
    audit_id  INTEGER NOT NULL REFERENCES audit (id),
    tbl       TEXT NOT NULL,
    row_id    INTEGER NOT NULL,
    op        TEXT NOT NULL,                    -- I (row added), U (field changed), D (row removed)
    field     TEXT NOT NULL DEFAULT '',
    old_value ANY,
    new_value ANY
) STRICT;
CREATE INDEX record_history_audit ON record_history (audit_id);
CREATE INDEX record_history_row ON record_history (tbl, row_id);

-- The end of the chain, so that removing the newest entries is detected too.
CREATE TABLE audit_head (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    last_id   INTEGER NOT NULL,
    last_hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_head (one, last_id, last_hash) VALUES (1, 0, '');

CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER record_history_append_only_update BEFORE UPDATE ON record_history
BEGIN
    SELECT RAISE(ABORT, 'the record history is append-only');
END;

CREATE TRIGGER record_history_append_only_delete BEFORE DELETE ON record_history
BEGIN
    SELECT RAISE(ABORT, 'the record history is append-only');
END;

CREATE TRIGGER audit_head_follows AFTER INSERT ON audit
BEGIN
    UPDATE audit_head SET last_id = NEW.id, last_hash = NEW.hash WHERE one = 1;
END;

INSERT INTO settings (key, value) VALUES ('idle_lock_minutes', '10')
    ON CONFLICT (key) DO NOTHING;
