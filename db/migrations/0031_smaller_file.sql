-- A smaller file (issue 22: 7.9 KB a case at 100,000 cases, most of it text kept twice).
--
-- The search indexes keep no copy of the text they index (contentless): nothing reads it back, a search only asks
-- which cases match; a case's entry is still replaced when the case changes (contentless_delete). The index of
-- character pairs keeps no positions either (detail = none): each of its queries is one pair.
CREATE VIRTUAL TABLE search_tri_smaller USING fts5 (text, tokenize = 'trigram', content = '', contentless_delete = 1);
INSERT INTO search_tri_smaller (rowid, text) SELECT rowid, text FROM search_tri ORDER BY rowid;
DROP TABLE search_tri;
ALTER TABLE search_tri_smaller RENAME TO search_tri;
INSERT INTO search_tri (search_tri) VALUES ('optimize');

CREATE VIRTUAL TABLE search_bi_smaller USING fts5 (grams, tokenize = 'unicode61 remove_diacritics 0', content = '',
                                                   contentless_delete = 1, detail = none);
INSERT INTO search_bi_smaller (rowid, grams) SELECT rowid, grams FROM search_bi ORDER BY rowid;
DROP TABLE search_bi;
ALTER TABLE search_bi_smaller RENAME TO search_bi;
INSERT INTO search_bi (search_bi) VALUES ('optimize');

-- The documents a case issued are kept packed against a dictionary of their common wording (store/case_documents.py).
UPDATE case_documents SET content = pack_document(content) WHERE content NOT LIKE 'z1:%';
