-- Inventory (the packages of each service's latest complete deps scan) and the hub's own
-- advisory records, so stored inventories are re-matched without a rescan.

CREATE TABLE inventory (
    service TEXT NOT NULL REFERENCES services (name),
    purl TEXT NOT NULL,
    -- Lowercased purl without version and qualifiers, and the name's last segment (the
    -- artifact of `group:artifact`, the module of `host/path/module`): the keys of lookups.
    purl_base TEXT NOT NULL,
    short_name TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    direct INTEGER,
    scope TEXT,
    lockfile TEXT NOT NULL,
    line INTEGER NOT NULL,
    present INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    last_commit TEXT,
    PRIMARY KEY (service, purl, lockfile)
);
CREATE INDEX inventory_purl_base ON inventory (purl_base);
CREATE INDEX inventory_short_name ON inventory (short_name);
CREATE INDEX inventory_lower_name ON inventory (lower(name));

CREATE TABLE advisories (
    id TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    modified TEXT NOT NULL,
    record TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (ecosystem, id)
);

-- Listings by service and state in id order (the API pages by id).
CREATE INDEX findings_service_state_id ON findings (service, state, id);
