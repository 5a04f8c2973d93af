-- Repeat petitions (重复信访): a petition by the same person, or about the same matter, within 12 months of an
-- earlier one is flagged at intake (repeat_state 'suspected', linked to the earlier case); the clerk confirms it
-- ('confirmed') or clears it ('cleared', with the reason). Counted in the statistics (重复信访率, 初信初访).
ALTER TABLE petitions ADD COLUMN repeat_of INTEGER REFERENCES cases (id);
ALTER TABLE petitions ADD COLUMN repeat_state TEXT NOT NULL DEFAULT '';  -- '' / suspected / confirmed / cleared
ALTER TABLE petitions ADD COLUMN repeat_note TEXT NOT NULL DEFAULT '';
CREATE INDEX petitions_repeat_of ON petitions (repeat_of) WHERE repeat_of IS NOT NULL;
