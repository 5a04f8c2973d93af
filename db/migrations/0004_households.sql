-- Households and care lists (帮扶户走访慰问): the register, members, responsible cadres, measures,
-- visits, follow-up tasks. A household (or one person on a care list) is a case of kind 'household';
-- cases.status is helping / lifted / exited, cases.due_on the next visit due (due_label '走访').

-- Care lists are configuration: a name, household or person, a few extra fields as data
-- (JSON: [{"key": "f1", "label": "监护人", "type": "text|date|choice|number", "choices": [...]}]),
-- and the visit rhythm new entries start with. Lists are never deleted, only made inactive.
CREATE TABLE care_lists (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    unit         TEXT NOT NULL DEFAULT 'person' CHECK (unit IN ('household', 'person')),
    fields       TEXT NOT NULL DEFAULT '[]',
    rhythm_unit  TEXT NOT NULL DEFAULT 'month' CHECK (rhythm_unit IN ('day', 'week', 'month')),
    rhythm_every INTEGER NOT NULL DEFAULT 1,
    position     INTEGER NOT NULL DEFAULT 0,
    active       INTEGER NOT NULL DEFAULT 1
) STRICT;

INSERT INTO care_lists (name, unit, fields, position) VALUES
    ('帮扶户', 'household',
     '[{"key": "f1", "label": "耕地面积（亩）", "type": "number"},
       {"key": "f2", "label": "住房面积（㎡）", "type": "number"},
       {"key": "f3", "label": "危房等级", "type": "choice", "choices": ["非危房", "A级", "B级", "C级", "D级"]}]',
     0),
    ('留守儿童', 'person',
     '[{"key": "f1", "label": "监护人", "type": "text"},
       {"key": "f2", "label": "监护类型", "type": "choice", "choices": ["祖辈监护", "亲属监护", "父母一方监护", "委托监护", "无人监护"]},
       {"key": "f3", "label": "父母务工地", "type": "text"},
       {"key": "f4", "label": "就读学校", "type": "text"}]',
     1),
    ('春蕾女童', 'person',
     '[{"key": "f1", "label": "就读学校", "type": "text"},
       {"key": "f2", "label": "年级", "type": "text"},
       {"key": "f3", "label": "资助金额（元）", "type": "number"},
       {"key": "f4", "label": "开始资助日期", "type": "date"}]',
     2),
    ('“两癌”救助对象', 'person',
     '[{"key": "f1", "label": "病种", "type": "choice", "choices": ["宫颈癌", "乳腺癌"]},
       {"key": "f2", "label": "确诊日期", "type": "date"},
       {"key": "f3", "label": "救助金额（元）", "type": "number"},
       {"key": "f4", "label": "救助日期", "type": "date"}]',
     3);

CREATE TABLE households (
    case_id        INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    list_id        INTEGER NOT NULL REFERENCES care_lists (id),
    address        TEXT NOT NULL DEFAULT '',     -- 组、门牌 (township and village are on cases)
    household_type TEXT NOT NULL DEFAULT '',     -- 一般户 / 低保户 / 特困供养户
    causes         TEXT NOT NULL DEFAULT '[]',   -- JSON: one or two of 因病, 因残, …
    extra          TEXT NOT NULL DEFAULT '{}',   -- JSON: the care list's extra fields by key
    rhythm_unit    TEXT NOT NULL DEFAULT 'month' CHECK (rhythm_unit IN ('day', 'week', 'month')),
    rhythm_every   INTEGER NOT NULL DEFAULT 1,
    rhythm_start   TEXT NOT NULL,
    lifted_on      TEXT,
    exited_on      TEXT,
    exit_reason    TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX households_list ON households (list_id);

-- The head is a member too (relation 户主, or 本人 on a person list), at position 0.
CREATE TABLE household_members (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    person_id       INTEGER NOT NULL REFERENCES people (id),
    relation        TEXT NOT NULL,
    health          TEXT NOT NULL DEFAULT '',    -- 健康 / 慢性病 / 大病 / 残疾
    work_ability    TEXT NOT NULL DEFAULT '',
    schooling       TEXT NOT NULL DEFAULT '',    -- 在校生状况
    disability_card TEXT NOT NULL DEFAULT '',
    position        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (case_id, person_id)
) STRICT;
CREATE INDEX household_members_person ON household_members (person_id);

-- Responsible cadres (帮扶责任人): appended, never overwritten; the latest from_date is current.
CREATE TABLE household_cadres (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL DEFAULT '',
    level       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    from_date   TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX household_cadres_case ON household_cadres (case_id, from_date, id);

CREATE TABLE household_measures (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,                  -- 雨露计划 / 小额信贷 / 易地搬迁 / 产业 / 基础设施 / 公共服务
    detail       TEXT NOT NULL DEFAULT '',
    helping_unit TEXT NOT NULL DEFAULT '',
    on_date      TEXT NOT NULL,
    amount_fen   INTEGER NOT NULL DEFAULT 0,
    benefit      TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL
) STRICT;
CREATE INDEX household_measures_case ON household_measures (case_id, on_date);

CREATE TABLE visits (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    visited_on     TEXT NOT NULL,
    visitors       TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('visit', 'solace', 'assist')),  -- 走访 / 慰问 / 帮扶
    cash_fen       INTEGER NOT NULL DEFAULT 0 CHECK (cash_fen >= 0),
    goods          TEXT NOT NULL DEFAULT '',
    goods_fen      INTEGER NOT NULL DEFAULT 0 CHECK (goods_fen >= 0),
    seen           TEXT NOT NULL DEFAULT '',      -- 走访情况
    asked          TEXT NOT NULL DEFAULT '',      -- 群众诉求
    promised       TEXT NOT NULL DEFAULT '',      -- 承诺跟进事项
    finding        TEXT NOT NULL DEFAULT '',      -- '', dv or dispute
    opened_case_id INTEGER REFERENCES cases (id) ON DELETE SET NULL,
    staff          TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX visits_case ON visits (case_id, visited_on);
CREATE INDEX visits_date ON visits (visited_on);

-- Follow-ups promised (on a visit, or otherwise), with their date: shown on the start page while open.
CREATE TABLE tasks (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER REFERENCES cases (id) ON DELETE CASCADE,
    visit_id   INTEGER REFERENCES visits (id) ON DELETE SET NULL,
    title      TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    done_on    TEXT,
    done_note  TEXT NOT NULL DEFAULT '',
    staff      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX tasks_open ON tasks (due_on) WHERE done_on IS NULL;
CREATE INDEX tasks_case ON tasks (case_id);
