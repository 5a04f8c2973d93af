-- Legal-aid referrals (法律援助转介): the organisation directory (机构名录) and the kind-specific
-- part of a referral case. Dates are ISO-8601 text, money integer fen.

-- Where the office refers women: the county legal-aid centre, justice offices, law firms.
-- Entries are never deleted (referrals keep a copy of what they were sent to); `active` hides one.
CREATE TABLE organisations (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,              -- 法律援助中心 / 司法所 / 律师事务所 / 其他
    address        TEXT NOT NULL DEFAULT '',
    contact_person TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    position       INTEGER NOT NULL DEFAULT 0,
    active         INTEGER NOT NULL DEFAULT 1
) STRICT;

-- Made-up starting entries, in the shape of a county's usual partners: the office edits them
-- (设置 → 机构名录). 12348 is the public legal-aid hotline.
INSERT INTO organisations (name, kind, address, contact_person, phone, position) VALUES
    ('县法律援助中心', '法律援助中心', '县司法局一楼法律援助窗口', '', '12348', 0),
    ('县法律援助中心驻县法院工作站', '法律援助中心', '县人民法院诉讼服务中心', '', '', 1),
    ('城关镇司法所', '司法所', '城关镇人民政府院内', '', '', 2),
    ('东山镇司法所', '司法所', '东山镇人民政府院内', '', '', 3),
    ('县明理律师事务所', '律师事务所', '', '', '', 4);

CREATE TABLE referrals (
    case_id              INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    referred_on          TEXT NOT NULL,              -- the date on the referral
    staff                TEXT NOT NULL,              -- the sending officer
    staff_phone          TEXT NOT NULL DEFAULT '',
    -- the organisation, as it was when she was referred (the directory may change later)
    organisation_id      INTEGER REFERENCES organisations (id),
    organisation_name    TEXT NOT NULL,
    organisation_kind    TEXT NOT NULL DEFAULT '',
    organisation_address TEXT NOT NULL DEFAULT '',
    organisation_contact TEXT NOT NULL DEFAULT '',
    organisation_phone   TEXT NOT NULL DEFAULT '',
    -- the case
    occupation           TEXT NOT NULL DEFAULT '',
    matter               TEXT NOT NULL,              -- 离婚 / 抚养 / 赡养 / 家庭暴力 / 财产 / 劳动 / 人身损害 / 其他
    role                 TEXT NOT NULL,              -- 原告 / 被告 / 申请人 / 被申请人 / 第三人 / 尚未确定
    legal_state          TEXT NOT NULL,              -- 尚未进入程序 / 诉讼中 / 仲裁中 / 调解中
    help_kinds           TEXT NOT NULL,              -- '、'-joined: 咨询、代书、诉讼代理…
    facts                TEXT NOT NULL,
    request              TEXT NOT NULL DEFAULT '',
    opponent_name        TEXT NOT NULL DEFAULT '',
    opponent_relation    TEXT NOT NULL DEFAULT '',
    -- means (法律援助法 arts. 32, 41, 42)
    victim_of            TEXT NOT NULL DEFAULT '',   -- '、'-joined: 家庭暴力、虐待、遗弃 (art. 32: no means test)
    means                TEXT NOT NULL DEFAULT '',
    household_size       INTEGER,
    household_income     INTEGER,                    -- fen per year
    -- papers handed over
    papers               TEXT NOT NULL DEFAULT '',   -- '、'-joined checklist
    papers_other         TEXT NOT NULL DEFAULT '',
    -- her consent to share her details with the organisation
    consent_on           TEXT,
    consent_by           TEXT NOT NULL DEFAULT '',   -- 本人 / 法定代理人或近亲属
    consent_name         TEXT NOT NULL DEFAULT '',
    consent_way          TEXT NOT NULL DEFAULT '',   -- 书面签字 / 口头同意
    -- the answer
    sent_on              TEXT,                       -- referral sent: the 7-day clock starts
    answered_on          TEXT,
    lawyer               TEXT NOT NULL DEFAULT '',   -- 承办人
    lawyer_phone         TEXT NOT NULL DEFAULT '',
    refused_reason       TEXT NOT NULL DEFAULT '',
    withdrawn_on         TEXT,
    withdrawn_reason     TEXT NOT NULL DEFAULT '',
    result               TEXT NOT NULL DEFAULT '',
    result_note          TEXT NOT NULL DEFAULT '',
    concluded_on         TEXT
) STRICT;
CREATE INDEX referrals_organisation ON referrals (organisation_id);
CREATE INDEX referrals_matter ON referrals (matter);
