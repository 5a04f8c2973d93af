-- A petition passed on to another body for handling (转办/交办 to 派出所, 民政局, 人社局, 法院 …): the 转送函 sent with
-- a receipt, the date set for its answer (chased on the start page when overdue), and the answer when it comes.
ALTER TABLE petitions ADD COLUMN transfer_sent_on TEXT;
ALTER TABLE petitions ADD COLUMN transfer_due_on TEXT;
ALTER TABLE petitions ADD COLUMN transfer_answered_on TEXT;
ALTER TABLE petitions ADD COLUMN transfer_answer TEXT NOT NULL DEFAULT '';
