-- Exchange packages between the township offices and the county (issue 24): every exchanged record gets a
-- stable identity (uuid, filled for the rows already there; new rows get theirs when a package is made or
-- read), and each office keeps, per other office, the version of each record both sides are known to have.

ALTER TABLE people ADD COLUMN uuid TEXT;
ALTER TABLE cases ADD COLUMN uuid TEXT;
ALTER TABLE attachments ADD COLUMN uuid TEXT;
ALTER TABLE case_documents ADD COLUMN uuid TEXT;
ALTER TABLE household_cadres ADD COLUMN uuid TEXT;
ALTER TABLE household_measures ADD COLUMN uuid TEXT;
ALTER TABLE household_members ADD COLUMN uuid TEXT;
ALTER TABLE mandatory_reports ADD COLUMN uuid TEXT;
ALTER TABLE mediation_investigations ADD COLUMN uuid TEXT;
ALTER TABLE mediation_sessions ADD COLUMN uuid TEXT;
ALTER TABLE mediation_visits ADD COLUMN uuid TEXT;
ALTER TABLE order_violations ADD COLUMN uuid TEXT;
ALTER TABLE police_contacts ADD COLUMN uuid TEXT;
ALTER TABLE police_follow_ups ADD COLUMN uuid TEXT;
ALTER TABLE protection_orders ADD COLUMN uuid TEXT;
ALTER TABLE risk_assessments ADD COLUMN uuid TEXT;
ALTER TABLE safety_plans ADD COLUMN uuid TEXT;
ALTER TABLE signatures ADD COLUMN uuid TEXT;
ALTER TABLE tasks ADD COLUMN uuid TEXT;
ALTER TABLE timeline ADD COLUMN uuid TEXT;
ALTER TABLE visits ADD COLUMN uuid TEXT;

UPDATE people SET uuid = lower(hex(randomblob(16)));
UPDATE cases SET uuid = lower(hex(randomblob(16)));
UPDATE attachments SET uuid = lower(hex(randomblob(16)));
UPDATE case_documents SET uuid = lower(hex(randomblob(16)));
UPDATE household_cadres SET uuid = lower(hex(randomblob(16)));
UPDATE household_measures SET uuid = lower(hex(randomblob(16)));
UPDATE household_members SET uuid = lower(hex(randomblob(16)));
UPDATE mandatory_reports SET uuid = lower(hex(randomblob(16)));
UPDATE mediation_investigations SET uuid = lower(hex(randomblob(16)));
UPDATE mediation_sessions SET uuid = lower(hex(randomblob(16)));
UPDATE mediation_visits SET uuid = lower(hex(randomblob(16)));
UPDATE order_violations SET uuid = lower(hex(randomblob(16)));
UPDATE police_contacts SET uuid = lower(hex(randomblob(16)));
UPDATE police_follow_ups SET uuid = lower(hex(randomblob(16)));
UPDATE protection_orders SET uuid = lower(hex(randomblob(16)));
UPDATE risk_assessments SET uuid = lower(hex(randomblob(16)));
UPDATE safety_plans SET uuid = lower(hex(randomblob(16)));
UPDATE signatures SET uuid = lower(hex(randomblob(16)));
UPDATE tasks SET uuid = lower(hex(randomblob(16)));
UPDATE timeline SET uuid = lower(hex(randomblob(16)));
UPDATE visits SET uuid = lower(hex(randomblob(16)));

CREATE UNIQUE INDEX people_uuid ON people (uuid);
CREATE UNIQUE INDEX cases_uuid ON cases (uuid);
CREATE UNIQUE INDEX attachments_uuid ON attachments (uuid);
CREATE UNIQUE INDEX case_documents_uuid ON case_documents (uuid);
CREATE UNIQUE INDEX household_cadres_uuid ON household_cadres (uuid);
CREATE UNIQUE INDEX household_measures_uuid ON household_measures (uuid);
CREATE UNIQUE INDEX household_members_uuid ON household_members (uuid);
CREATE UNIQUE INDEX mandatory_reports_uuid ON mandatory_reports (uuid);
CREATE UNIQUE INDEX mediation_investigations_uuid ON mediation_investigations (uuid);
CREATE UNIQUE INDEX mediation_sessions_uuid ON mediation_sessions (uuid);
CREATE UNIQUE INDEX mediation_visits_uuid ON mediation_visits (uuid);
CREATE UNIQUE INDEX order_violations_uuid ON order_violations (uuid);
CREATE UNIQUE INDEX police_contacts_uuid ON police_contacts (uuid);
CREATE UNIQUE INDEX police_follow_ups_uuid ON police_follow_ups (uuid);
CREATE UNIQUE INDEX protection_orders_uuid ON protection_orders (uuid);
CREATE UNIQUE INDEX risk_assessments_uuid ON risk_assessments (uuid);
CREATE UNIQUE INDEX safety_plans_uuid ON safety_plans (uuid);
CREATE UNIQUE INDEX signatures_uuid ON signatures (uuid);
CREATE UNIQUE INDEX tasks_uuid ON tasks (uuid);
CREATE UNIQUE INDEX timeline_uuid ON timeline (uuid);
CREATE UNIQUE INDEX visits_uuid ON visits (uuid);

-- The version (hash of the record as exchanged) this office and `peer` both have, per record.
CREATE TABLE exchange_known (
    peer TEXT NOT NULL,
    uuid TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (peer, uuid)
) STRICT, WITHOUT ROWID;

-- A person the other office registered separately, found to be the same woman (by ID number, or confirmed).
CREATE TABLE exchange_alias (
    peer   TEXT NOT NULL,
    theirs TEXT NOT NULL,
    ours   TEXT NOT NULL,
    PRIMARY KEY (peer, theirs)
) STRICT, WITHOUT ROWID;

-- Packages made here (out) and read here (in): an imported package is never applied twice.
CREATE TABLE exchange_packages (
    id        TEXT PRIMARY KEY,
    peer      TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    at        TEXT NOT NULL,
    staff     TEXT NOT NULL DEFAULT '',
    records   INTEGER NOT NULL DEFAULT 0,
    acknowledged_at TEXT
) STRICT;
