-- The gateway core: maintenance windows, components, updates, bypass links, and the
-- notification trigger that keeps every gateway's in-memory snapshot true.

CREATE TABLE components (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  status      text NOT NULL DEFAULT 'operational' CHECK (status IN
                ('operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance')),
  position    integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT components_name_unique UNIQUE (name)
);

CREATE TABLE windows (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  message       text NOT NULL DEFAULT '' CHECK (length(message) <= 5000),
  starts_at     timestamptz NOT NULL DEFAULT now(),
  -- NULL: open-ended, in force until someone ends it.
  ends_at       timestamptz,
  -- Set when a window is ended before ends_at; the planned end is kept for the record.
  ended_at      timestamptz,
  -- block: nothing goes through; read_only: GET/HEAD/OPTIONS go through, writes are held.
  mode          text NOT NULL DEFAULT 'block' CHECK (mode IN ('block', 'read_only')),
  -- render: the status page at the URL asked for; redirect: 307 to the status page.
  response      text NOT NULL DEFAULT 'render' CHECK (response IN ('render', 'redirect')),
  -- Empty arrays mean "all paths" and "all hosts".
  path_prefixes text[] NOT NULL DEFAULT '{}' CHECK (cardinality(path_prefixes) <= 100),
  hosts         text[] NOT NULL DEFAULT '{}' CHECK (cardinality(hosts) <= 100),
  created_by    text NOT NULL DEFAULT 'system',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT windows_end_after_start CHECK (ends_at IS NULL OR ends_at > starts_at),
  CONSTRAINT windows_ended_after_start CHECK (ended_at IS NULL OR ended_at >= starts_at)
);

-- The snapshot loads windows that are not over yet; this keeps that cheap as history grows.
CREATE INDEX windows_open_idx ON windows (ends_at) WHERE ended_at IS NULL;

CREATE TABLE window_components (
  window_id    bigint NOT NULL REFERENCES windows (id) ON DELETE CASCADE,
  component_id bigint NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  PRIMARY KEY (window_id, component_id)
);

CREATE TABLE updates (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  window_id  bigint REFERENCES windows (id) ON DELETE CASCADE,
  body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  created_by text NOT NULL DEFAULT 'system',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX updates_created_at_idx ON updates (created_at DESC);

CREATE TABLE bypass_links (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  note       text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_by text NOT NULL DEFAULT 'system',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Secrets the gateways share, such as the key that signs bypass cookies.
CREATE TABLE gateway_secrets (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One notice per statement on any table that decides requests or feeds the status page.
-- Every gateway LISTENs on this channel and reloads its snapshot, so a change made by any
-- means (CLI, admin, plain SQL) is in force everywhere within milliseconds.
CREATE FUNCTION intermission_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('intermission_changed', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER components_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON components
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
CREATE TRIGGER windows_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON windows
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
CREATE TRIGGER window_components_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON window_components
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
CREATE TRIGGER updates_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON updates
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
CREATE TRIGGER bypass_links_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bypass_links
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
CREATE TRIGGER gateway_secrets_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gateway_secrets
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
