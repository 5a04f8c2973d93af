-- Referral to any service (转介): legal aid becomes one kind of the one mechanism (consent, letter, receipt,
-- reply, overdue chase). Each referral and each directory entry names the service; what was there is legal aid.
-- 法律援助 / 庇护所/救助管理站 / 医院（验伤） / 心理咨询 / 派出所 / 民政（救助） / 残联 / 学校 / 村（居）委会
ALTER TABLE referrals ADD COLUMN service TEXT NOT NULL DEFAULT '法律援助';
ALTER TABLE organisations ADD COLUMN service TEXT NOT NULL DEFAULT '法律援助';
CREATE INDEX referrals_service ON referrals (service);

-- The directory's entries for the other services are the office's own (设置 → 机构名录: the shelter, the hospital,
-- the police station … of its county); none is made up here.
