-- 家暴防护 (issue 20): risk assessments (风险评估) and safety plans (安全计划).
-- The checklist's items, weights and thresholds are data the administrator may adjust (settings window); the
-- defaults follow the DASH 2009 risk identification checklist (SafeLives), each item naming its DASH question,
-- with strangling, a weapon and a believed threat to kill making the level 高 on their own (DASH / Campbell's
-- Danger Assessment); see fulian_desktop/domain/dv_risk.py.

CREATE TABLE risk_items (
    id       INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    code     TEXT NOT NULL UNIQUE,
    question TEXT NOT NULL,
    weight   INTEGER NOT NULL,
    critical INTEGER NOT NULL DEFAULT 0,   -- a "yes" makes the level 高 on its own
    source   TEXT NOT NULL DEFAULT '',    -- where the item comes from
    active   INTEGER NOT NULL DEFAULT 1
) STRICT;

INSERT INTO risk_items (position, code, question, weight, critical, source) VALUES
 (1,  'injury',       '这次暴力造成了伤害', 2, 0, 'DASH 第1问'),
 (2,  'afraid',       '她非常害怕（怕再次受伤、被杀或孩子受害）', 2, 0, 'DASH 第2、3问'),
 (3,  'isolated',     '她与亲友隔绝，身边没有可以求助的人', 1, 0, 'DASH 第4问'),
 (4,  'despair',      '她情绪低落或有轻生的念头', 2, 0, 'DASH 第5问'),
 (5,  'separation',   '过去一年内她分居、提出离婚或试图离开他', 2, 0, 'DASH 第6问'),
 (6,  'child_contact','双方在孩子的抚养、探望上有冲突', 1, 0, 'DASH 第7问'),
 (7,  'stalking',     '他不停地打电话、发信息、跟踪或骚扰她', 2, 0, 'DASH 第8问'),
 (8,  'pregnant',     '她正在怀孕或18个月内生过孩子', 2, 0, 'DASH 第9问'),
 (9,  'more_often',   '暴力越来越频繁', 2, 0, 'DASH 第10问'),
 (10, 'worse',        '暴力越来越严重', 3, 0, 'DASH 第11问'),
 (11, 'control',      '他控制她的一举一动，或极度嫉妒', 1, 0, 'DASH 第12问'),
 (12, 'weapon',       '他用刀、棍棒等凶器或物品伤害、威胁过她', 3, 1, 'DASH 第13问'),
 (13, 'kill_threat',  '他威胁要杀死她或家人，她相信他会这样做', 3, 1, 'DASH 第14问'),
 (14, 'strangle',     '他掐过她的脖子、捂过口鼻或想让她窒息', 3, 1, 'DASH 第15问；Glass 等，2008'),
 (15, 'sexual',       '他对她有性暴力或性侮辱', 2, 0, 'DASH 第16问'),
 (16, 'others_hurt',  '他伤害或威胁要伤害孩子、老人或其他人', 2, 0, 'DASH 第18、26、27问'),
 (17, 'animals',      '他虐待过家里的牲畜或宠物', 1, 0, 'DASH 第19问'),
 (18, 'money',        '家里经济困难，或他控制着家里的钱', 1, 0, 'DASH 第20问'),
 (19, 'substance',    '他近一年酗酒、吸毒或有精神方面的问题', 2, 0, 'DASH 第21问'),
 (20, 'suicide',      '他威胁过或企图自杀', 2, 0, 'DASH 第22问'),
 (21, 'breach',       '他违反过告诫书、保护令或自己的保证', 2, 0, 'DASH 第23问'),
 (22, 'record',       '他有违法犯罪记录，或因打人被公安处理过', 1, 0, 'DASH 第24问');

-- the thresholds: 14 points and more 高 (DASH: 14 "yes" answers and more is high risk), 6 and more 中
INSERT INTO settings (key, value) VALUES ('risk.high_from', '14'), ('risk.medium_from', '6');

-- Each assessment is kept, dated, with the items as they were asked (answers: JSON list of
-- {code, question, weight, critical, yes}), so a later change of the checklist changes no old assessment.
CREATE TABLE risk_assessments (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    person_id      INTEGER REFERENCES people (id),   -- the woman (the case's person) when assessed
    assessed_on    TEXT NOT NULL,
    occasion       TEXT NOT NULL,                    -- 登记时 / 来访 / 来电 / 回访 / 查访 / 其他
    answers        TEXT NOT NULL,
    score          INTEGER NOT NULL,
    computed_level TEXT NOT NULL,                    -- low / medium / high, from the answers
    level          TEXT NOT NULL,                    -- the level given (raised, or lowered with a reason)
    level_reason   TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    staff          TEXT NOT NULL,
    created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX risk_assessments_case ON risk_assessments (case_id, assessed_on);
CREATE INDEX risk_assessments_person ON risk_assessments (person_id, assessed_on);

-- A safety plan: what was agreed with her. A new version is a new row (the latest is in force; the earlier
-- ones are kept).
CREATE TABLE safety_plans (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    person_id  INTEGER REFERENCES people (id),
    made_on    TEXT NOT NULL,
    safe_place TEXT NOT NULL DEFAULT '',   -- where she can go
    contacts   TEXT NOT NULL DEFAULT '',   -- who to call
    documents  TEXT NOT NULL DEFAULT '',   -- documents, money and keys kept elsewhere
    children   TEXT NOT NULL DEFAULT '',   -- the children
    other      TEXT NOT NULL DEFAULT '',   -- other agreements (a signal, the way out …)
    staff      TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX safety_plans_case ON safety_plans (case_id, made_on);
CREATE INDEX safety_plans_person ON safety_plans (person_id, made_on);
