-- A record imported from an office's old register that lacks what a new case would require (the register never
-- had a 乡镇 or 事情经过 column, or the cell was empty): the field is recorded as 未记录 and listed here, one row
-- per field, so the case shows 待补全 and the 待补全 list finds it. A correction that fills the field removes
-- its row (services/corrections.py add_note).
CREATE TABLE import_gaps (
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    field TEXT NOT NULL,  -- the register's field key (facts, township, received_on …)
    label TEXT NOT NULL,  -- its name on the register (事情经过, 乡镇, 纳入日期 …)
    PRIMARY KEY (case_id, field)
);
