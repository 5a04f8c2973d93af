-- A smaller file (issue 22), the same records, the same search hits, the same lists.
--
-- A record's uuid (0026) is given when it is first exchanged in a package; most records never are. The unique
-- index of each uuid kept an entry for every row all the same (≈ 105 bytes a case on the demo): it now holds the
-- rows that have one (`uuid = ?` implies IS NOT NULL, so every look-up by uuid still reads it; unique as before).

DROP INDEX people_uuid;
CREATE UNIQUE INDEX people_uuid ON people (uuid) WHERE uuid IS NOT NULL;
DROP INDEX cases_uuid;
CREATE UNIQUE INDEX cases_uuid ON cases (uuid) WHERE uuid IS NOT NULL;
DROP INDEX attachments_uuid;
CREATE UNIQUE INDEX attachments_uuid ON attachments (uuid) WHERE uuid IS NOT NULL;
DROP INDEX case_documents_uuid;
CREATE UNIQUE INDEX case_documents_uuid ON case_documents (uuid) WHERE uuid IS NOT NULL;
DROP INDEX household_cadres_uuid;
CREATE UNIQUE INDEX household_cadres_uuid ON household_cadres (uuid) WHERE uuid IS NOT NULL;
DROP INDEX household_measures_uuid;
CREATE UNIQUE INDEX household_measures_uuid ON household_measures (uuid) WHERE uuid IS NOT NULL;
DROP INDEX household_members_uuid;
CREATE UNIQUE INDEX household_members_uuid ON household_members (uuid) WHERE uuid IS NOT NULL;
DROP INDEX mandatory_reports_uuid;
CREATE UNIQUE INDEX mandatory_reports_uuid ON mandatory_reports (uuid) WHERE uuid IS NOT NULL;
DROP INDEX mediation_investigations_uuid;
CREATE UNIQUE INDEX mediation_investigations_uuid ON mediation_investigations (uuid) WHERE uuid IS NOT NULL;
DROP INDEX mediation_sessions_uuid;
CREATE UNIQUE INDEX mediation_sessions_uuid ON mediation_sessions (uuid) WHERE uuid IS NOT NULL;
DROP INDEX mediation_visits_uuid;
CREATE UNIQUE INDEX mediation_visits_uuid ON mediation_visits (uuid) WHERE uuid IS NOT NULL;
DROP INDEX order_violations_uuid;
CREATE UNIQUE INDEX order_violations_uuid ON order_violations (uuid) WHERE uuid IS NOT NULL;
DROP INDEX police_contacts_uuid;
CREATE UNIQUE INDEX police_contacts_uuid ON police_contacts (uuid) WHERE uuid IS NOT NULL;
DROP INDEX police_follow_ups_uuid;
CREATE UNIQUE INDEX police_follow_ups_uuid ON police_follow_ups (uuid) WHERE uuid IS NOT NULL;
DROP INDEX protection_orders_uuid;
CREATE UNIQUE INDEX protection_orders_uuid ON protection_orders (uuid) WHERE uuid IS NOT NULL;
DROP INDEX risk_assessments_uuid;
CREATE UNIQUE INDEX risk_assessments_uuid ON risk_assessments (uuid) WHERE uuid IS NOT NULL;
DROP INDEX safety_plans_uuid;
CREATE UNIQUE INDEX safety_plans_uuid ON safety_plans (uuid) WHERE uuid IS NOT NULL;
DROP INDEX signatures_uuid;
CREATE UNIQUE INDEX signatures_uuid ON signatures (uuid) WHERE uuid IS NOT NULL;
DROP INDEX tasks_uuid;
CREATE UNIQUE INDEX tasks_uuid ON tasks (uuid) WHERE uuid IS NOT NULL;
DROP INDEX timeline_uuid;
CREATE UNIQUE INDEX timeline_uuid ON timeline (uuid) WHERE uuid IS NOT NULL;
DROP INDEX visits_uuid;
CREATE UNIQUE INDEX visits_uuid ON visits (uuid) WHERE uuid IS NOT NULL;

-- A case's timeline is read whole (six entries a case on the demo) and sorted by time as it is read: the index
-- by case no longer keeps each entry's time too (30 -> 11 bytes an entry).
DROP INDEX timeline_case;
CREATE INDEX timeline_case ON timeline (case_id);
