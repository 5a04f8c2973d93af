-- A petition transferred or assigned to the office from above (交办/转送: 市妇联, 信访局, a 12345 or 12338 工单): who
-- sent it, their number, the date they set for the answer; the 5 working days to object when it is not the office's
-- (信访工作条例 art. 23), counted on the holiday table when it was registered (and how, when a year was unknown).
ALTER TABLE petitions ADD COLUMN source_body TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN source_no TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN source_due_on TEXT;
ALTER TABLE petitions ADD COLUMN objection_due_on TEXT;
ALTER TABLE petitions ADD COLUMN objection_note TEXT NOT NULL DEFAULT '';
