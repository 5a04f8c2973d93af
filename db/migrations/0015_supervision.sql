-- 督办: the 主任 marks a case for close supervision, with a note and a date; it stands out wherever the case is
-- listed. NULL supervised_on: not supervised (the marks and their lifting are kept in the timeline).
ALTER TABLE cases ADD COLUMN supervised_on TEXT;
ALTER TABLE cases ADD COLUMN supervised_note TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN supervised_by TEXT NOT NULL DEFAULT '';
