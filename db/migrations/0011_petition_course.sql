-- A petition's statutory course (信访工作条例 2022): its kind (建议意见 / 检举控告 / 申诉求决, art. 31), how she was
-- told and where a refused one can go, a 检举控告 passed to the competent body, the written opinion's facts and
-- legal basis, her satisfaction; and the written documents a case issued (notices, opinions), kept as printed.

ALTER TABLE petitions ADD COLUMN nature TEXT NOT NULL DEFAULT '申诉求决';
ALTER TABLE petitions ADD COLUMN tell_way TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN refused_route TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN forwarded_to TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN forwarded_on TEXT;
ALTER TABLE petitions ADD COLUMN facts_found TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN legal_basis TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN rating TEXT NOT NULL DEFAULT '';       -- 满意 / 基本满意 / 不满意 / 未评价
ALTER TABLE petitions ADD COLUMN rating_note TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN rated_on TEXT;
ALTER TABLE petitions ADD COLUMN rating_way TEXT NOT NULL DEFAULT '';   -- 办结时 / 回访

-- A document a case issued: what was printed on it (content: JSON, the text and values at the time of issue), so a
-- reprint is the same paper. Never deleted; a document whose step was undone is marked void with the reason.
CREATE TABLE case_documents (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    doc           TEXT NOT NULL,              -- accept / refuse / forward / extend / opinion / reply
    title         TEXT NOT NULL,              -- 受理告知书 …
    issued_on     TEXT NOT NULL,              -- the date on it (a notice: the day she was told)
    way           TEXT NOT NULL DEFAULT '',   -- how it reached her
    content       TEXT NOT NULL,
    staff         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    voided_on     TEXT,
    voided_reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX case_documents_case ON case_documents (case_id, id);
