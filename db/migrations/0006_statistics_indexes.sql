-- Statistics for a period read visits through one covering index (no table look-ups).
CREATE INDEX visits_stats ON visits (visited_on, case_id, kind, cash_fen, goods_fen);
