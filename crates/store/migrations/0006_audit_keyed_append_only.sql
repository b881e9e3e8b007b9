-- The audit trail becomes keyed, numbered and append-only (ADR 0003, issue 10).
-- Each event carries its number in its LA's chain and the fingerprint of the
-- key that signed it ('sha256' for events written before keys, which were
-- chained with plain SHA-256). The database refuses to change or delete events.

ALTER TABLE audit_events ADD COLUMN seq BIGINT;
ALTER TABLE audit_events ADD COLUMN mac_key TEXT;
UPDATE audit_events SET mac_key = 'sha256',
    seq = (SELECT COUNT(*) FROM audit_events earlier
           WHERE earlier.chain = audit_events.chain AND earlier.id <= audit_events.id);
CREATE UNIQUE INDEX audit_events_by_chain_seq ON audit_events (chain, seq);

-- only sqlite:
CREATE TRIGGER audit_events_are_not_changed BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be changed');
END;
CREATE TRIGGER audit_events_are_not_deleted BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be deleted');
END;
-- only postgres:
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be changed or deleted';
END;
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_not_truncated BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
