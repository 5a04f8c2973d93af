-- Statistics read narrow data kept beside the cases (issue 22): the values the figures of a period take from each
-- case and from its petition, referral or mediation, held in covering indexes. SQLite keeps an index current in the
-- same transaction as every change to its table — the forms, the bulk import, the exchange and the demo generator
-- alike — so the figures read from them are those of the rows themselves (reports/statistics.py names them:
-- INDEXED BY). A year's cases are then read from a few narrow pages instead of every case's and petition's row with
-- its text: at a million cases a year no longer fits the page cache, and each wide row read was decrypted again.
CREATE INDEX cases_figures ON cases (kind, received_on, id, person_id, township, category, subcategory, status,
                                     closed_on);
CREATE INDEX petitions_figures ON petitions (case_id, channel, headcount, dv, nature, result, rating, accepted_on,
                                             told_on, concluded_on, extension_days, repeat_state, source_body,
                                             source_due_on, transfer_sent_on, transfer_due_on, transfer_answered_on);
CREATE INDEX referrals_figures ON referrals (case_id, service, matter, victim_of, sent_on, answered_on);
CREATE INDEX mediations_figures ON mediations (case_id, dispute_type);
-- the township of each household visited in the period
CREATE INDEX cases_township_of ON cases (id, township);
