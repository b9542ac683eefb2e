-- Bulk edits: many cases in one transaction, one event per case, and one
-- notification for the lot (events_notify is per statement).

-- superseded: the definition of today is in definitions/
DROP TRIGGER IF EXISTS cases_mediator_load ON cases;

-- superseded: the definition of today is in definitions/
DROP FUNCTION IF EXISTS gd__mediator_load();
