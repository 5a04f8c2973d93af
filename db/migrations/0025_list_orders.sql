-- The case list read in order from an index for every sort the window offers, both ways (store/search.py
-- SORT_COLUMNS, store/keyset.py): its first page, the page after or before one already shown and the last
-- pages without sorting every case. A column followed by the date received ascending is served by the indexes
-- of 0001 (township, received_on DESC …); these serve the other direction and the remaining sorts.
CREATE INDEX cases_case_no_up ON cases (year, kind, seq);
CREATE INDEX cases_case_no_down ON cases (year DESC, kind, seq DESC);
CREATE INDEX cases_kind_down ON cases (kind DESC, received_on DESC);
CREATE INDEX cases_status_down ON cases (status DESC, received_on DESC);
CREATE INDEX cases_township_down ON cases (township DESC, received_on DESC);
CREATE INDEX cases_category_down ON cases (category DESC, received_on DESC);
-- names also with the case number: a one-character search reads these two from the index alone
CREATE INDEX cases_names ON cases (names, case_no);
CREATE INDEX cases_due_up ON cases (is_open DESC, due_on IS NULL, due_on);
CREATE INDEX cases_due_down ON cases (is_open DESC, due_on IS NULL, due_on DESC);
CREATE INDEX cases_due_label_up ON cases (due_label, due_on);
CREATE INDEX cases_due_label_down ON cases (due_label DESC, due_on);
