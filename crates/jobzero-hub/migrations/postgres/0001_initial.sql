-- jobzero hub schema, version 1 (PostgreSQL). Released migrations are never edited: add a new file.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE teams (
    name TEXT PRIMARY KEY,
    escalation TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE services (
    name TEXT PRIMARY KEY,
    team TEXT NOT NULL REFERENCES teams (name),
    exposure TEXT NOT NULL,
    data_classification TEXT NOT NULL,
    repositories TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    team TEXT REFERENCES teams (name),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE uploads (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service TEXT NOT NULL REFERENCES services (name),
    commit_sha TEXT,
    complete BIGINT NOT NULL,
    families TEXT NOT NULL,
    findings BIGINT NOT NULL,
    actor TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

CREATE TABLE findings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service TEXT NOT NULL REFERENCES services (name),
    fingerprint TEXT NOT NULL,
    family TEXT NOT NULL,
    rule TEXT NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    expectation TEXT NOT NULL,
    severity TEXT NOT NULL,
    effective_severity TEXT NOT NULL,
    severity_rank BIGINT NOT NULL,
    severity_reason TEXT NOT NULL,
    path TEXT NOT NULL,
    line BIGINT,
    route TEXT,
    snippet TEXT,
    purl TEXT,
    advisory TEXT,
    state TEXT NOT NULL,
    recurrences BIGINT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    opened_at BIGINT NOT NULL,
    resolved_at BIGINT,
    due_at BIGINT,
    last_commit TEXT,
    accepted_by TEXT,
    accepted_reason TEXT,
    accepted_until BIGINT,
    UNIQUE (service, fingerprint)
);
CREATE INDEX findings_state ON findings (state, service);
CREATE INDEX findings_due ON findings (state, due_at);

CREATE TABLE gate_decisions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service TEXT NOT NULL REFERENCES services (name),
    release_name TEXT,
    go BIGINT NOT NULL,
    blocking BIGINT NOT NULL,
    actor TEXT NOT NULL,
    decided_at BIGINT NOT NULL
);

CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    before_state TEXT,
    after_state TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- One row: the end of the audit chain. Every write transaction updates it first, which
-- serialises writers and keeps the chain linear.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION jobzero_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only table %', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION jobzero_append_only();
CREATE TRIGGER findings_no_delete BEFORE DELETE ON findings
    FOR EACH ROW EXECUTE FUNCTION jobzero_append_only();
