-- The escalation outbox: one row per finding, deadline cycle and step, written in the same
-- transaction that decides the step is due, delivered afterwards by whichever hub process
-- claims it (a conditional update is the claim, so exactly one process sends each).

CREATE TABLE escalations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    finding_id BIGINT NOT NULL REFERENCES findings (id),
    -- The finding's `opened_at`: a reopened finding starts a new cycle of steps.
    cycle BIGINT NOT NULL,
    step TEXT NOT NULL,
    contact TEXT NOT NULL,
    webhook TEXT,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    lease_owner TEXT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    UNIQUE (finding_id, cycle, step)
);
CREATE INDEX escalations_pending ON escalations (state, next_attempt_at);
