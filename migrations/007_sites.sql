-- Several applications behind one gateway. A site is one application: its hostnames, its upstream,
-- and everything the gateway keeps about it (components, windows, incidents, settings, webhooks,
-- health). A database from before this migration becomes one site, the default, which answers
-- every host no other site names: the single-site setup keeps working with nothing configured.

CREATE TABLE sites (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- In URLs (STATUS_PATH/<slug>, --site <slug>): lower-case letters, digits and inner dashes. The
  -- status page's own sub-paths cannot be slugs, or STATUS_PATH/history would be ambiguous.
  slug         text NOT NULL CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'
                 AND slug NOT IN ('api', 'assets', 'events', 'history', 'widget', 'sites')),
  -- NULL: the gateway's UPSTREAM_URL.
  upstream_url text CHECK (upstream_url ~ '^https?://' AND length(upstream_url) <= 2000),
  -- Answers hosts no site names; without a default site, they get a 404 page.
  is_default   boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sites_slug_unique UNIQUE (slug)
);
CREATE UNIQUE INDEX sites_one_default_idx ON sites ((true)) WHERE is_default;

-- Exact names (shop.example.com) and wildcards (*.example.com, one label deep, as in an ingress).
-- Lower-case, without a port; a name belongs to one site.
CREATE TABLE site_hosts (
  host    text PRIMARY KEY CHECK (length(host) <= 253
            AND host ~ '^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  site_id bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE
);
CREATE INDEX site_hosts_site_idx ON site_hosts (site_id);

INSERT INTO sites (slug, is_default) VALUES ('default', true);

-- The site a write is for: set per transaction by the gateway (set_config('intermission.site', ...)),
-- else the default site, so plain SQL written for one site keeps working. With no default site and
-- none set, it is NULL and the NOT NULL columns below refuse the row.
CREATE FUNCTION intermission_site() RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('intermission.site', true), '')::bigint,
                  (SELECT id FROM sites WHERE is_default))
$$;

-- Every row of these tables belongs to a site. A non-volatile default fills the existing rows
-- without rewriting them one by one, so no trigger (audit, events) fires for the move.
ALTER TABLE components ADD COLUMN site_id bigint NOT NULL DEFAULT intermission_site() REFERENCES sites (id) ON DELETE CASCADE;
ALTER TABLE component_groups ADD COLUMN site_id bigint NOT NULL DEFAULT intermission_site() REFERENCES sites (id) ON DELETE CASCADE;
ALTER TABLE windows ADD COLUMN site_id bigint NOT NULL DEFAULT intermission_site() REFERENCES sites (id) ON DELETE CASCADE;
ALTER TABLE window_series ADD COLUMN site_id bigint NOT NULL DEFAULT intermission_site() REFERENCES sites (id) ON DELETE CASCADE;
ALTER TABLE incidents ADD COLUMN site_id bigint NOT NULL DEFAULT intermission_site() REFERENCES sites (id) ON DELETE CASCADE;
ALTER TABLE updates ADD COLUMN site_id bigint NOT NULL DEFAULT intermission_site() REFERENCES sites (id) ON DELETE CASCADE;
ALTER TABLE bypass_links ADD COLUMN site_id bigint NOT NULL DEFAULT intermission_site() REFERENCES sites (id) ON DELETE CASCADE;
ALTER TABLE webhooks ADD COLUMN site_id bigint NOT NULL DEFAULT intermission_site() REFERENCES sites (id) ON DELETE CASCADE;
ALTER TABLE outages ADD COLUMN site_id bigint NOT NULL DEFAULT intermission_site() REFERENCES sites (id) ON DELETE CASCADE;
ALTER TABLE events ADD COLUMN site_id bigint NOT NULL DEFAULT intermission_site() REFERENCES sites (id) ON DELETE CASCADE;

CREATE INDEX components_site_idx ON components (site_id);
CREATE INDEX component_groups_site_idx ON component_groups (site_id);
CREATE INDEX windows_site_idx ON windows (site_id, starts_at);
CREATE INDEX window_series_site_idx ON window_series (site_id);
CREATE INDEX incidents_site_idx ON incidents (site_id, created_at);
CREATE INDEX updates_site_idx ON updates (site_id, created_at DESC);
CREATE INDEX bypass_links_site_idx ON bypass_links (site_id);
CREATE INDEX webhooks_site_idx ON webhooks (site_id);
CREATE INDEX outages_site_idx ON outages (site_id, started_at);
CREATE INDEX events_site_idx ON events (site_id, at);

-- Names are unique within a site; two sites may both have an "API".
ALTER TABLE components DROP CONSTRAINT components_name_unique;
ALTER TABLE components ADD CONSTRAINT components_name_unique UNIQUE (site_id, name);
ALTER TABLE component_groups DROP CONSTRAINT component_groups_name_unique;
ALTER TABLE component_groups ADD CONSTRAINT component_groups_name_unique UNIQUE (site_id, name);
-- One outage at a time per site: each site has its own upstream.
DROP INDEX outages_one_open_idx;
CREATE UNIQUE INDEX outages_one_open_idx ON outages (site_id) WHERE ended_at IS NULL;

-- Settings and the upstream's health were one row each; now one row per site, keyed by it.
ALTER TABLE settings ADD COLUMN site_id bigint NOT NULL DEFAULT intermission_site() REFERENCES sites (id) ON DELETE CASCADE;
DROP TRIGGER settings_audit ON settings;
ALTER TABLE settings DROP CONSTRAINT settings_pkey;
ALTER TABLE settings DROP COLUMN id;
ALTER TABLE settings ADD PRIMARY KEY (site_id);
CREATE TRIGGER settings_audit AFTER INSERT OR UPDATE OR DELETE ON settings
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('site_id');

ALTER TABLE upstream_health ADD COLUMN site_id bigint NOT NULL DEFAULT intermission_site() REFERENCES sites (id) ON DELETE CASCADE;
ALTER TABLE upstream_health DROP CONSTRAINT upstream_health_pkey;
ALTER TABLE upstream_health DROP COLUMN id;
ALTER TABLE upstream_health ADD PRIMARY KEY (site_id);

-- A new site starts with its settings and a healthy upstream, as the first site did.
CREATE FUNCTION intermission_site_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO settings (site_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  INSERT INTO upstream_health (site_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
CREATE TRIGGER sites_rows AFTER INSERT ON sites
  FOR EACH ROW EXECUTE FUNCTION intermission_site_rows();

-- An event belongs to the site of the row it tells of (each event's data holds that row, with its
-- site_id), and only that site's webhooks hear it.
CREATE OR REPLACE FUNCTION intermission_event(event_type text, event_data jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  subject_site bigint;
BEGIN
  SELECT (value ->> 'site_id')::bigint INTO subject_site
  FROM jsonb_each(event_data) WHERE jsonb_typeof(value) = 'object' AND value ? 'site_id' LIMIT 1;
  INSERT INTO events (type, data, site_id) VALUES (event_type, event_data, coalesce(subject_site, intermission_site()));
END;
$$;

CREATE OR REPLACE FUNCTION intermission_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.type = 'webhook.test' THEN
    INSERT INTO webhook_deliveries (webhook_id, event_id)
    VALUES ((NEW.data ->> 'webhook_id')::bigint, NEW.id);
  ELSE
    INSERT INTO webhook_deliveries (webhook_id, event_id)
    SELECT w.id, NEW.id FROM webhooks w WHERE w.enabled AND w.site_id = NEW.site_id AND NEW.type = ANY (w.events);
  END IF;
  PERFORM pg_notify('intermission_events', NEW.id::text);
  RETURN NULL;
END;
$$;

-- The audit log records the site of each change: the row's own, or for a site itself, its id.
ALTER TABLE audit_log ADD COLUMN site_id bigint;
CREATE INDEX audit_log_site_idx ON audit_log (site_id, at DESC, id DESC);

CREATE OR REPLACE FUNCTION intermission_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before_row jsonb;
  after_row  jsonb;
  object_id  text;
  row_site   text;
BEGIN
  IF TG_OP <> 'INSERT' THEN before_row := to_jsonb(OLD) - 'updated_at'; END IF;
  IF TG_OP <> 'DELETE' THEN after_row := to_jsonb(NEW) - 'updated_at'; END IF;
  object_id := coalesce(after_row, before_row) ->> TG_ARGV[0];
  row_site := CASE WHEN TG_TABLE_NAME = 'sites' THEN coalesce(after_row, before_row) ->> 'id'
                   ELSE coalesce(after_row, before_row) ->> 'site_id' END;
  FOR i IN 1 .. TG_NARGS - 1 LOOP
    before_row := before_row - TG_ARGV[i];
    after_row := after_row - TG_ARGV[i];
  END LOOP;
  IF TG_OP = 'UPDATE' AND before_row = after_row THEN
    RETURN NULL;
  END IF;
  INSERT INTO audit_log (actor, action, kind, object_id, before, after, site_id)
  VALUES (
    intermission_actor(),
    coalesce(nullif(current_setting('intermission.action', true), ''), lower(TG_OP)),
    TG_TABLE_NAME,
    object_id,
    before_row,
    after_row,
    coalesce(row_site::bigint, nullif(current_setting('intermission.site', true), '')::bigint)
  );
  RETURN NULL;
END;
$$;

-- What was written before this migration was the one site's.
UPDATE audit_log SET site_id = (SELECT id FROM sites WHERE is_default);

CREATE TRIGGER sites_audit AFTER INSERT OR UPDATE OR DELETE ON sites
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('id');
CREATE TRIGGER site_hosts_audit AFTER INSERT OR UPDATE OR DELETE ON site_hosts
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('host');

-- Routing lives in every gateway's snapshot: a new site or hostname is in force within a notice.
CREATE TRIGGER sites_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sites
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
CREATE TRIGGER site_hosts_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON site_hosts
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
