-- Marriage and family dispute mediation (婚姻家庭纠纷调解): the committee's mediator roster, and per
-- mediation its parties, mediators, sessions (调解记录), investigations (调查记录), agreement items and
-- return visits (回访). The case row (kind 'mediation') carries status, dates and the next deadline.

-- The roster of mediators the office keeps (设置 → 调解员名册). Never deleted, only made inactive,
-- so old files keep their mediators' names.
CREATE TABLE mediators (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    phone      TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL DEFAULT '',   -- 专职调解员 / 兼职调解员 / 律师 …
    active     INTEGER NOT NULL DEFAULT 1,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE mediations (
    case_id           INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    source            TEXT NOT NULL,               -- 当事人申请 / 信访转来 / 公安移交 / 法院委托 / 主动调解
    dispute_type      TEXT NOT NULL,               -- 婚姻 / 家庭暴力 / 抚养 / 赡养 / 财产分割 / 其他
    relationship      TEXT NOT NULL,               -- 夫妻 / 婆媳 / 父母子女 / 兄弟姐妹 / 其他
    facts             TEXT NOT NULL,               -- 纠纷简要情况
    request           TEXT NOT NULL DEFAULT '',    -- 申请事项
    registrar         TEXT NOT NULL DEFAULT '',    -- 登记人
    -- the outcome: reconciled / agreed / self_settled / failed / ended ('' while open)
    outcome           TEXT NOT NULL DEFAULT '',
    outcome_on        TEXT,
    outcome_note      TEXT NOT NULL DEFAULT '',    -- 和好情况 / 和解情况 / 调解不成的原因 / 终止的理由
    failed_route      TEXT NOT NULL DEFAULT '',    -- 调解不成: 引导诉讼 / 申请仲裁 / …
    -- the agreement (人民调解法 art. 29); its items are in mediation_agreement_items
    agreement_facts   TEXT NOT NULL DEFAULT '',    -- 纠纷主要事实、争议事项
    agreement_duties  TEXT NOT NULL DEFAULT '',    -- 各方当事人的责任
    -- the file (卷宗)
    archivist         TEXT NOT NULL DEFAULT '',    -- 立卷人
    filed_on          TEXT,                        -- 立卷日期
    keep_period       TEXT NOT NULL DEFAULT '',    -- 保管期限
    file_remarks      TEXT NOT NULL DEFAULT ''     -- 备注
) STRICT;
CREATE INDEX mediations_outcome ON mediations (outcome, outcome_on);

-- Applicants and respondents (also in case_people with the same role, for search and her history).
-- Occupation and an age told when the birth date is unknown belong to this mediation, not the person.
CREATE TABLE mediation_parties (
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    side       TEXT NOT NULL CHECK (side IN ('applicant', 'respondent')),
    position   INTEGER NOT NULL DEFAULT 0,
    occupation TEXT NOT NULL DEFAULT '',
    stated_age INTEGER,
    PRIMARY KEY (case_id, person_id)
) STRICT;
CREATE INDEX mediation_parties_person ON mediation_parties (person_id);

CREATE TABLE mediation_mediators (
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    mediator_id INTEGER NOT NULL REFERENCES mediators (id),
    position    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, mediator_id)
) STRICT;

-- 调解记录: one row per session.
CREATE TABLE mediation_sessions (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    held_on         TEXT NOT NULL,
    place           TEXT NOT NULL,
    mediators       TEXT NOT NULL DEFAULT '',    -- who mediated (names)
    recorder        TEXT NOT NULL DEFAULT '',
    present         TEXT NOT NULL DEFAULT '',    -- parties present
    others          TEXT NOT NULL DEFAULT '',    -- others present (协助调解人, relatives …)
    explained       INTEGER NOT NULL DEFAULT 1,  -- rights, duties and risks explained
    applicant_said  TEXT NOT NULL DEFAULT '',
    respondent_said TEXT NOT NULL DEFAULT '',
    facts_found     TEXT NOT NULL DEFAULT '',
    result          TEXT NOT NULL,               -- 达成一致 / 未达成一致，择期再调 / 调解不成
    result_detail   TEXT NOT NULL DEFAULT '',    -- what was agreed, or why it failed and the routes left
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX mediation_sessions_case ON mediation_sessions (case_id, held_on);

-- 调查记录
CREATE TABLE mediation_investigations (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    held_on      TEXT NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    investigator TEXT NOT NULL,
    recorder     TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL,                  -- who was asked
    subject_role TEXT NOT NULL DEFAULT '',       -- who she or he is (与当事人关系、身份)
    content      TEXT NOT NULL,                  -- what was asked and said
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX mediation_investigations_case ON mediation_investigations (case_id, held_on);

-- The agreement's items: what, how, by when and where it is performed (人民调解法 art. 29).
CREATE TABLE mediation_agreement_items (
    case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    content  TEXT NOT NULL,
    how      TEXT NOT NULL,
    due      TEXT NOT NULL,
    place    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, position)
) STRICT;

-- 回访: scheduled (due_on), then recorded (visited_on and what was found).
CREATE TABLE mediation_visits (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    due_on       TEXT NOT NULL,
    plan         TEXT NOT NULL DEFAULT '',
    visited_on   TEXT,
    visitor      TEXT NOT NULL DEFAULT '',
    method       TEXT NOT NULL DEFAULT '',       -- 上门 / 电话 / 约谈
    performance  TEXT NOT NULL DEFAULT '',       -- 已履行 / 正在履行 / 部分履行 / 未履行 / 不适用
    satisfaction TEXT NOT NULL DEFAULT '',       -- 满意 / 基本满意 / 不满意
    lawsuit      INTEGER NOT NULL DEFAULT 0,     -- a party has gone to court since
    new_conflict INTEGER NOT NULL DEFAULT 0,
    violence     INTEGER NOT NULL DEFAULT 0,
    findings     TEXT NOT NULL DEFAULT '',
    measures     TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX mediation_visits_case ON mediation_visits (case_id, due_on);
CREATE INDEX mediation_visits_pending ON mediation_visits (due_on) WHERE visited_on IS NULL;
