-- Attachments (附件): scans, photos, signed originals kept with a case, a person, a household or a visit, inside the
-- encrypted database (no readable file in the data folder; every backup carries and counts them).
-- The bytes are stored once per content (SHA-256), whoever attaches the same file again.
CREATE TABLE attachment_content (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL CHECK (size >= 0),
    data   BLOB NOT NULL
) STRICT;

-- What was attached where: never altered; a correction adds a new version (replaces = the one it corrects), a removal
-- keeps the row with who removed it, when and why.
CREATE TABLE attachments (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER REFERENCES cases (id) ON DELETE CASCADE,          -- the case (a household is one)
    person_id       INTEGER REFERENCES people (id) ON DELETE CASCADE,         -- or a person on file
    visit_id        INTEGER REFERENCES visits (id) ON DELETE CASCADE,         -- a household's visit (case_id its household)
    kind            TEXT NOT NULL,              -- 来信原件 / 身份证明 / 证据 / 协议原件 / 回执 / 照片 / 其他
    name            TEXT NOT NULL,              -- the file's name as given (shown inside the program only)
    media           TEXT NOT NULL,              -- image/jpeg, application/pdf …
    sha256          TEXT NOT NULL REFERENCES attachment_content (sha256),
    original_sha256 TEXT REFERENCES attachment_content (sha256),              -- the photo as taken, when it was reduced
    width           INTEGER,
    height          INTEGER,
    pages           INTEGER,
    note            TEXT NOT NULL DEFAULT '',
    received_on     TEXT,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    replaces        INTEGER REFERENCES attachments (id),
    staff           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    removed_at      TEXT,
    removed_by      TEXT NOT NULL DEFAULT '',
    removed_reason  TEXT NOT NULL DEFAULT '',
    CHECK (case_id IS NOT NULL OR person_id IS NOT NULL)
) STRICT;
CREATE INDEX attachments_case ON attachments (case_id, id) WHERE case_id IS NOT NULL;
CREATE INDEX attachments_person ON attachments (person_id, id) WHERE person_id IS NOT NULL;
CREATE INDEX attachments_visit ON attachments (visit_id, id) WHERE visit_id IS NOT NULL;
CREATE INDEX attachments_content ON attachments (sha256);

-- Signatures taken on screen (a pen, a touch screen or the mouse), each part of one document of a case: her consent to
-- a referral, a mediation agreement's parties, a 回访 record. Who signed, when, and the SHA-256 of the document's text
-- as it stood when signed (so a later change of that text shows the signature belongs to an earlier version).
CREATE TABLE signatures (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    document    TEXT NOT NULL,              -- referral.consent / mediation.agreement / mediation.visit
    part        TEXT NOT NULL DEFAULT '',   -- which line of the form: applicant:3, respondent:4, visit:7, consent
    signer      TEXT NOT NULL,
    signed_at   TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    image       BLOB NOT NULL,              -- PNG, transparent background
    staff       TEXT NOT NULL DEFAULT '',
    voided_at   TEXT,
    voided_reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX signatures_case ON signatures (case_id, document, part);
