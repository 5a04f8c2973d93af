-- 复查 and 复核 of a petition's written answer (信访工作条例 arts. 35–36): her request (within 30 days of receiving the
-- answer), the body that reviews it, and its answer (within 30 days). One row per stage; after 复核 the matter is
-- closed for good.
CREATE TABLE petition_reviews (
    case_id            INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    stage              TEXT NOT NULL,             -- review (复查) / re_review (复核)
    requested_on       TEXT NOT NULL,
    answer_received_on TEXT NOT NULL,             -- the day she received the answer she contests
    body               TEXT NOT NULL,             -- 本会, or the body above that reviews
    request            TEXT NOT NULL,
    answered_on        TEXT,
    result             TEXT NOT NULL DEFAULT '',  -- 维持 / 撤销 / 变更
    opinion            TEXT NOT NULL DEFAULT '',
    by_office          INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (case_id, stage)
) STRICT;
