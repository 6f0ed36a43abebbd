-- The status page reads incidents and their updates on every snapshot reload, on every gateway,
-- after every change notice: these keep those reads cheap as the history grows.

-- An incident's updates, newest first (the snapshot reads the latest few of each).
CREATE INDEX updates_incident_idx ON updates (incident_id, created_at DESC) WHERE incident_id IS NOT NULL;

-- Incidents resolved recently; open ones already have incidents_open_idx.
CREATE INDEX incidents_resolved_idx ON incidents (resolved_at) WHERE resolved_at IS NOT NULL;
