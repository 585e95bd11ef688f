-- Deleting a unit whose requests, keys or applications remain as history (the audit trail needs them) removes it
-- from every list and from its people, but keeps its row: history still names it, and its slug is never reused.
alter table business_unit add column deleted_at timestamp with time zone;
