-- jobzero hub schema, version 1 (SQLite). Released migrations are never edited: add a new file.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE teams (
    name TEXT PRIMARY KEY,
    escalation TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE services (
    name TEXT PRIMARY KEY,
    team TEXT NOT NULL REFERENCES teams (name),
    exposure TEXT NOT NULL,
    data_classification TEXT NOT NULL,
    repositories TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    team TEXT REFERENCES teams (name),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE uploads (
    id INTEGER PRIMARY KEY,
    service TEXT NOT NULL REFERENCES services (name),
    commit_sha TEXT,
    complete INTEGER NOT NULL,
    families TEXT NOT NULL,
    findings INTEGER NOT NULL,
    actor TEXT NOT NULL,
    received_at INTEGER NOT NULL
);

CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
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
    severity_rank INTEGER NOT NULL,
    severity_reason TEXT NOT NULL,
    path TEXT NOT NULL,
    line INTEGER,
    route TEXT,
    snippet TEXT,
    purl TEXT,
    advisory TEXT,
    state TEXT NOT NULL,
    recurrences INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    opened_at INTEGER NOT NULL,
    resolved_at INTEGER,
    due_at INTEGER,
    last_commit TEXT,
    accepted_by TEXT,
    accepted_reason TEXT,
    accepted_until INTEGER,
    UNIQUE (service, fingerprint)
);
CREATE INDEX findings_state ON findings (state, service);
CREATE INDEX findings_due ON findings (state, due_at);

CREATE TABLE gate_decisions (
    id INTEGER PRIMARY KEY,
    service TEXT NOT NULL REFERENCES services (name),
    release_name TEXT,
    go INTEGER NOT NULL,
    blocking INTEGER NOT NULL,
    actor TEXT NOT NULL,
    decided_at INTEGER NOT NULL
);

CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
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
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER findings_no_delete BEFORE DELETE ON findings
BEGIN
    SELECT RAISE(ABORT, 'findings are never deleted');
END;
