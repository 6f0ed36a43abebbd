-- The admin areas' additions to 002: what the audit log could not see, and indexes that keep the
-- status page's snapshot reloads cheap as history grows.

-- The audit trigger leaves password hashes out, so a password change needs a column of its own.
-- When the user last chose a password (through an invite link or on their account page).
ALTER TABLE users ADD COLUMN password_changed_at timestamptz;

-- A new invite link, and its use, in the audit log; the token's hash stays out.
CREATE TRIGGER user_setup_tokens_audit AFTER INSERT OR UPDATE OR DELETE ON user_setup_tokens
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('user_id', 'token_hash');

-- The status page reads incidents and their updates on every snapshot reload, on every gateway.
-- An incident's updates, newest first (the snapshot reads the latest few of each).
CREATE INDEX updates_incident_idx ON updates (incident_id, created_at DESC) WHERE incident_id IS NOT NULL;

-- Incidents resolved recently; open ones already have incidents_open_idx.
CREATE INDEX incidents_resolved_idx ON incidents (resolved_at) WHERE resolved_at IS NOT NULL;
