-- Who may do what, in which site. A user has a role per site (site_members) and may be a global
-- admin (manages sites and users, acts as admin in every site). An API token belongs to one site,
-- or, with no site, is a global admin's token that acts in every site.
--
-- A database from before sites keeps working as it did: every user becomes a member of the
-- default site with the role they had, every admin also becomes a global admin, viewer and
-- operator tokens act in the default site and admin tokens in every site. users.role goes: the
-- role in a site is the one source of truth.

CREATE TABLE site_members (
  site_id    bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, user_id)
);
CREATE INDEX site_members_user_idx ON site_members (user_id);

ALTER TABLE users ADD COLUMN global_admin boolean NOT NULL DEFAULT false;
ALTER TABLE api_tokens ADD COLUMN site_id bigint REFERENCES sites (id) ON DELETE CASCADE;
CREATE INDEX api_tokens_site_idx ON api_tokens (site_id);

-- Moving what exists is not a change anyone made: the audit log stays as it was (as in 007).
ALTER TABLE users DISABLE TRIGGER users_audit;
ALTER TABLE api_tokens DISABLE TRIGGER api_tokens_audit;

-- The site people worked in: the default one (007 made it), else the oldest.
CREATE TEMPORARY TABLE first_site ON COMMIT DROP AS
  SELECT id FROM sites ORDER BY is_default DESC, id LIMIT 1;

INSERT INTO site_members (site_id, user_id, role)
  SELECT f.id, u.id, u.role FROM users u CROSS JOIN first_site f;
UPDATE users SET global_admin = true WHERE role = 'admin';
UPDATE api_tokens SET site_id = (SELECT id FROM first_site) WHERE role <> 'admin';

ALTER TABLE users ENABLE TRIGGER users_audit;
ALTER TABLE api_tokens ENABLE TRIGGER api_tokens_audit;

ALTER TABLE users DROP COLUMN role;

-- A token with no site acts in every site: only a global admin's token may, and it is an admin.
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_global_is_admin CHECK (site_id IS NOT NULL OR role = 'admin');

-- The audit trigger fills audit_log.site_id from the row's site_id.
CREATE TRIGGER site_members_audit AFTER INSERT OR UPDATE OR DELETE ON site_members
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('user_id');
