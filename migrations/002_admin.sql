-- The admin area and the automation API: people, sessions, API tokens, settings, incidents,
-- component groups, and an audit log written by triggers so no write can forget it.

-- Who is acting, for created_by columns and the audit log. Writers set it per transaction with
-- set_config('intermission.actor', ..., true); plain SQL is recorded as its database user.
CREATE FUNCTION intermission_actor() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('intermission.actor', true), ''), 'sql:' || session_user)
$$;

CREATE TABLE users (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email) AND position('@' IN email) > 1),
  name          text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
  role          text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  -- NULL until the user has chosen a password through their invite link.
  password_hash text,
  -- An IANA zone for showing and entering times; NULL follows the browser.
  time_zone     text CHECK (length(time_zone) <= 64),
  disabled_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_email_unique UNIQUE (email)
);

-- One-time links: the first admin's setup link (user_id NULL) and invites (a user without a password).
CREATE TABLE user_setup_tokens (
  token_hash text PRIMARY KEY,
  user_id    bigint REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Only a hash of the cookie's value is kept, so a read of this table cannot be replayed.
CREATE TABLE sessions (
  id_hash      text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  address      text NOT NULL DEFAULT '',
  user_agent   text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 500)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Failed sign-ins, counted per account and per address over a sliding window; shared by every
-- gateway and worker, so adding replicas does not multiply the guesses allowed.
CREATE TABLE login_failures (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email   text NOT NULL,
  address text NOT NULL,
  at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, at);
CREATE INDEX login_failures_address_idx ON login_failures (address, at);

CREATE TABLE api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- sha256 of the token: it has 256 bits of entropy, so a slow hash would add nothing.
  token_hash   text NOT NULL UNIQUE,
  -- The first characters, shown in listings so a person can tell tokens apart.
  prefix       text NOT NULL,
  role         text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz,
  created_by   text NOT NULL DEFAULT intermission_actor(),
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- One row: what the status page shows about the site. NULL columns fall back to the environment.
CREATE TABLE settings (
  id            boolean PRIMARY KEY DEFAULT true CHECK (id),
  site_name     text CHECK (length(site_name) BETWEEN 1 AND 100),
  support_email text CHECK (length(support_email) <= 254),
  logo_url      text CHECK (length(logo_url) <= 2000),
  brand_color   text CHECK (brand_color ~ '^#[0-9a-f]{6}$'),
  footer_text   text CHECK (length(footer_text) <= 1000),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings DEFAULT VALUES;

CREATE TABLE component_groups (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  position   integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT component_groups_name_unique UNIQUE (name)
);
ALTER TABLE components ADD COLUMN group_id bigint REFERENCES component_groups (id) ON DELETE SET NULL;

-- maintenance: planned work; downtime: an announced outage. Both hold traffic as their mode says.
ALTER TABLE windows ADD COLUMN kind text NOT NULL DEFAULT 'maintenance' CHECK (kind IN ('maintenance', 'downtime'));
ALTER TABLE windows ALTER COLUMN created_by SET DEFAULT intermission_actor();

CREATE TABLE incidents (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  status      text NOT NULL DEFAULT 'investigating'
                CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
  impact      text NOT NULL DEFAULT 'minor' CHECK (impact IN ('none', 'minor', 'major', 'critical')),
  created_by  text NOT NULL DEFAULT intermission_actor(),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  CONSTRAINT incidents_resolved_when_resolved CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE INDEX incidents_open_idx ON incidents (created_at) WHERE resolved_at IS NULL;

CREATE TABLE incident_components (
  incident_id  bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  component_id bigint NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  PRIMARY KEY (incident_id, component_id)
);

-- An update belongs to a window, to an incident, or to neither (a general notice).
ALTER TABLE updates ADD COLUMN incident_id bigint REFERENCES incidents (id) ON DELETE CASCADE;
-- The incident's status this update announced; NULL for window updates and notices.
ALTER TABLE updates ADD COLUMN status text
  CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved'));
ALTER TABLE updates ADD CONSTRAINT updates_one_subject CHECK (window_id IS NULL OR incident_id IS NULL);
ALTER TABLE updates ALTER COLUMN created_by SET DEFAULT intermission_actor();

-- A bypass link can be limited to some paths; empty means everything.
ALTER TABLE bypass_links ADD COLUMN path_prefixes text[] NOT NULL DEFAULT '{}' CHECK (cardinality(path_prefixes) <= 100);
ALTER TABLE bypass_links ALTER COLUMN created_by SET DEFAULT intermission_actor();

CREATE TABLE audit_log (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  actor     text NOT NULL,
  -- What the person did, e.g. window.extend; plain SQL writes record insert/update/delete.
  action    text NOT NULL,
  -- The table changed: windows, components, users, ...
  kind      text NOT NULL,
  object_id text,
  before    jsonb,
  after     jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at DESC);
CREATE INDEX audit_log_kind_idx ON audit_log (kind, at DESC);

-- One row per changed row, with the row before and after. Trigger arguments name columns left
-- out of both images: secrets (hashes) and bookkeeping that changes on its own (last use).
CREATE FUNCTION intermission_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before_row jsonb;
  after_row  jsonb;
  object_id  text;
BEGIN
  IF TG_OP <> 'INSERT' THEN before_row := to_jsonb(OLD) - 'updated_at'; END IF;
  IF TG_OP <> 'DELETE' THEN after_row := to_jsonb(NEW) - 'updated_at'; END IF;
  object_id := coalesce(after_row, before_row) ->> TG_ARGV[0];
  FOR i IN 1 .. TG_NARGS - 1 LOOP
    before_row := before_row - TG_ARGV[i];
    after_row := after_row - TG_ARGV[i];
  END LOOP;
  IF TG_OP = 'UPDATE' AND before_row = after_row THEN
    RETURN NULL;
  END IF;
  INSERT INTO audit_log (actor, action, kind, object_id, before, after)
  VALUES (
    intermission_actor(),
    coalesce(nullif(current_setting('intermission.action', true), ''), lower(TG_OP)),
    TG_TABLE_NAME,
    object_id,
    before_row,
    after_row
  );
  RETURN NULL;
END;
$$;

-- The first argument names the column that identifies the row; the rest are left out.
CREATE TRIGGER windows_audit AFTER INSERT OR UPDATE OR DELETE ON windows
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('id');
CREATE TRIGGER window_components_audit AFTER INSERT OR UPDATE OR DELETE ON window_components
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('window_id');
CREATE TRIGGER components_audit AFTER INSERT OR UPDATE OR DELETE ON components
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('id');
CREATE TRIGGER component_groups_audit AFTER INSERT OR UPDATE OR DELETE ON component_groups
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('id');
CREATE TRIGGER updates_audit AFTER INSERT OR UPDATE OR DELETE ON updates
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('id');
CREATE TRIGGER incidents_audit AFTER INSERT OR UPDATE OR DELETE ON incidents
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('id');
CREATE TRIGGER incident_components_audit AFTER INSERT OR UPDATE OR DELETE ON incident_components
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('incident_id');
CREATE TRIGGER bypass_links_audit AFTER INSERT OR UPDATE OR DELETE ON bypass_links
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('id');
CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('id', 'password_hash');
CREATE TRIGGER api_tokens_audit AFTER INSERT OR UPDATE OR DELETE ON api_tokens
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('id', 'token_hash', 'last_used_at');
CREATE TRIGGER settings_audit AFTER INSERT OR UPDATE OR DELETE ON settings
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('id');

-- The status page shows settings, groups and incidents, so they reach the snapshot like the rest.
CREATE TRIGGER settings_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
CREATE TRIGGER component_groups_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON component_groups
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
CREATE TRIGGER incidents_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
CREATE TRIGGER incident_components_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incident_components
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
