-- Foundation: people, the one case model, petitions, timeline, editable lists, search index.
-- Dates are ISO-8601 text (YYYY-MM-DD), times ISO-8601 with seconds, money integer fen.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Editable lists: categories (and their sub-kinds), townships (and their villages), staff, agencies.
CREATE TABLE lists (
    id       INTEGER PRIMARY KEY,
    list     TEXT NOT NULL,
    parent   TEXT NOT NULL DEFAULT '',
    value    TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    active   INTEGER NOT NULL DEFAULT 1,
    UNIQUE (list, parent, value)
) STRICT;

CREATE TABLE people (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    sex            TEXT NOT NULL DEFAULT '',
    ethnicity      TEXT NOT NULL DEFAULT '',
    birth_date     TEXT,
    id_number      TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    marital_status TEXT NOT NULL DEFAULT '',
    pinyin         TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX people_id_number ON people (id_number) WHERE id_number <> '';
CREATE INDEX people_name ON people (name);
CREATE INDEX people_phone ON people (phone) WHERE phone <> '';

-- Case numbers are never reused: the counter only goes up.
CREATE TABLE case_counters (
    kind     TEXT NOT NULL,
    year     INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (kind, year)
) STRICT;

CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    case_no     TEXT NOT NULL UNIQUE,
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    status      TEXT NOT NULL,
    received_on TEXT NOT NULL,
    person_id   INTEGER REFERENCES people (id),
    names       TEXT NOT NULL DEFAULT '',   -- the people's names as shown in lists
    township    TEXT NOT NULL DEFAULT '',
    village     TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT '',
    subcategory TEXT NOT NULL DEFAULT '',
    summary     TEXT NOT NULL DEFAULT '',
    is_open     INTEGER NOT NULL DEFAULT 1,
    due_on      TEXT,                       -- the next statutory deadline while open
    due_label   TEXT NOT NULL DEFAULT '',
    closed_on   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (kind, year, seq)
) STRICT;
CREATE INDEX cases_received ON cases (received_on DESC, id DESC);
CREATE INDEX cases_kind_received ON cases (kind, received_on DESC);
CREATE INDEX cases_status ON cases (status, received_on DESC);
CREATE INDEX cases_due ON cases (is_open, due_on);
CREATE INDEX cases_township ON cases (township, received_on DESC);
CREATE INDEX cases_category ON cases (category, received_on DESC);
CREATE INDEX cases_person ON cases (person_id);

-- Who takes part in a case and as what: petitioner, concerned (the woman concerned), applicant, ...
CREATE TABLE case_people (
    case_id   INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id),
    role      TEXT NOT NULL,
    position  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, person_id, role)
) STRICT;
CREATE INDEX case_people_person ON case_people (person_id);

CREATE TABLE case_links (
    from_case INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    to_case   INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    relation  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (from_case, to_case)
) STRICT;
CREATE INDEX case_links_to ON case_links (to_case);

CREATE TABLE petitions (
    case_id             INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    channel             TEXT NOT NULL,
    headcount           INTEGER NOT NULL DEFAULT 1,
    facts               TEXT NOT NULL,
    request             TEXT NOT NULL,
    dv                  INTEGER NOT NULL DEFAULT 0,
    safety_risk         INTEGER NOT NULL DEFAULT 0,
    receiving_staff     TEXT NOT NULL,
    respondent_name     TEXT NOT NULL DEFAULT '',
    respondent_relation TEXT NOT NULL DEFAULT '',
    accepted_on         TEXT,
    told_on             TEXT,
    refused_reason      TEXT NOT NULL DEFAULT '',
    handling            TEXT NOT NULL DEFAULT '',
    handling_agency     TEXT NOT NULL DEFAULT '',
    handling_opinion    TEXT NOT NULL DEFAULT '',
    reply               TEXT NOT NULL DEFAULT '',
    result              TEXT NOT NULL DEFAULT '',
    concluded_on        TEXT,
    extension_days      INTEGER NOT NULL DEFAULT 0,
    extension_reason    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX petitions_channel ON petitions (channel);

-- Every status change and note, with time and staff name.
CREATE TABLE timeline (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at      TEXT NOT NULL,
    staff   TEXT NOT NULL,
    action  TEXT NOT NULL,
    note    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX timeline_case ON timeline (case_id, at);

-- Search: a trigram index for queries of three or more characters, and an index of
-- character pairs (and pinyin initials) for one- and two-character queries, which the
-- trigram tokenizer cannot answer. rowid = cases.id.
CREATE VIRTUAL TABLE search_tri USING fts5 (text, tokenize = 'trigram');
CREATE VIRTUAL TABLE search_bi USING fts5 (grams, tokenize = 'unicode61 remove_diacritics 0');
