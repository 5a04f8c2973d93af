-- A petition transferred or assigned to the office that is not the office's (信访工作条例 art. 23): within 5 working
-- days of receipt the office objects to the body that sent it, says why, and returns it (退回函); the case is then
-- closed as 已退回 and its clock stops.
ALTER TABLE petitions ADD COLUMN objected_on TEXT;
ALTER TABLE petitions ADD COLUMN objected_to TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN objection_reason TEXT NOT NULL DEFAULT '';
