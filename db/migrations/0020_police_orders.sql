-- 家暴防护 (issue 20, points 3, 4, 6): the police's 告诫书 or 报警回执 received and the office's follow-up visits
-- (查访) after them; protection orders (人身安全保护令) applied for, ruled, extended, and violations of them; the
-- mandatory report (强制报告) of a victim who cannot protect herself. Dates ISO-8601 text, times with seconds.

-- 告诫书 (反家庭暴力法 art. 16) or 报警回执: the station, the date, its number.
CREATE TABLE police_contacts (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,                  -- warning (告诫书) / receipt (报警回执)
    station    TEXT NOT NULL,
    issued_on  TEXT NOT NULL,
    number     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    staff      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX police_contacts_case ON police_contacts (case_id);

-- 查访 after a 告诫书 (art. 17): planned on a day, done with the police or the village, what was found.
CREATE TABLE police_follow_ups (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES police_contacts (id) ON DELETE CASCADE,
    due_on     TEXT NOT NULL,
    with_whom  TEXT NOT NULL DEFAULT '',
    done_on    TEXT,
    finding    TEXT NOT NULL DEFAULT '',
    staff      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX police_follow_ups_case ON police_follow_ups (case_id, due_on);
CREATE INDEX police_follow_ups_open ON police_follow_ups (due_on) WHERE done_on IS NULL;

-- A protection order's application (arts. 23, 27) and what became of it (arts. 28–30).
CREATE TABLE protection_orders (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    respondent          TEXT NOT NULL,
    respondent_relation TEXT NOT NULL DEFAULT '',
    respondent_address  TEXT NOT NULL DEFAULT '',
    requests            TEXT NOT NULL DEFAULT '',   -- the measures asked, one a line
    facts               TEXT NOT NULL DEFAULT '',
    evidence            TEXT NOT NULL DEFAULT '',   -- the evidence list, one a line
    court               TEXT NOT NULL DEFAULT '',
    urgent              INTEGER NOT NULL DEFAULT 0, -- 24 hours instead of 72
    on_behalf           INTEGER NOT NULL DEFAULT 0, -- the office applies on her behalf (art. 23)
    wishes              TEXT NOT NULL DEFAULT '',   -- her wishes, as she stated them
    consent_on          TEXT,
    filed_at            TEXT,                       -- the court accepted it: the ruling clock starts
    outcome             TEXT NOT NULL DEFAULT '',   -- '' waiting / granted / refused / withdrawn
    ruled_on            TEXT,
    order_no            TEXT NOT NULL DEFAULT '',
    ordered             TEXT NOT NULL DEFAULT '',
    ends_on             TEXT,                       -- the last day in force
    extension_filed_on  TEXT,                       -- an extension asked for, not yet decided
    outcome_note        TEXT NOT NULL DEFAULT '',
    staff               TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL
) STRICT;
CREATE INDEX protection_orders_case ON protection_orders (case_id);
CREATE INDEX protection_orders_ends ON protection_orders (outcome, ends_on);

-- A violation of an order (art. 34): what happened, and when it was reported to the court or the police.
CREATE TABLE order_violations (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    order_id    INTEGER NOT NULL REFERENCES protection_orders (id) ON DELETE CASCADE,
    occurred_on TEXT NOT NULL,
    what        TEXT NOT NULL,
    reported_on TEXT,
    reported_to TEXT NOT NULL DEFAULT '',
    staff       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX order_violations_case ON order_violations (case_id);

-- 强制报告 (art. 14): one per case; NULL reported_on: still to be reported (due on found_on).
CREATE TABLE mandatory_reports (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL UNIQUE REFERENCES cases (id) ON DELETE CASCADE,
    ground      TEXT NOT NULL,                  -- minor / elderly / disabled / ill / incapable / other
    found_on    TEXT NOT NULL,
    reported_on TEXT,
    reported_to TEXT NOT NULL DEFAULT '',
    way         TEXT NOT NULL DEFAULT '',
    receipt_no  TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    staff       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX mandatory_reports_open ON mandatory_reports (found_on) WHERE reported_on IS NULL;
