-- The start page counts open cases per kind: answered from this covering index alone
-- (on 100,000 cases 0.4 ms instead of 33 ms through cases_due and a temporary B-tree).
CREATE INDEX cases_open_kind ON cases (is_open, kind);
