-- The escalation outbox: one row per finding, deadline cycle and step, written in the same
-- transaction that decides the step is due, delivered afterwards by whichever hub process
-- claims it (a conditional update is the claim, so exactly one process sends each).

CREATE TABLE escalations (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings (id),
    -- The finding's `opened_at`: a reopened finding starts a new cycle of steps.
    cycle INTEGER NOT NULL,
    step TEXT NOT NULL,
    contact TEXT NOT NULL,
    webhook TEXT,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER,
    lease_owner TEXT,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    UNIQUE (finding_id, cycle, step)
);
CREATE INDEX escalations_pending ON escalations (state, next_attempt_at);
