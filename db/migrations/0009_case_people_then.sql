-- A correction of an older case may be meant for that case only: her address or marital status as they were
-- at the time of the case (she has since moved, or divorced). Kept here, on her part in that case; NULL means
-- "as on her record" (people), which is what every other case shows.
ALTER TABLE case_people ADD COLUMN address TEXT;
ALTER TABLE case_people ADD COLUMN marital_status TEXT;
