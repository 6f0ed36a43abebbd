-- The public status page's own id, as Statuspage-compatible JSON names it (page.id): opaque, drawn
-- once per database, so every gateway and every restart answers with the same one.

CREATE FUNCTION intermission_page_id() RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT string_agg(substr('abcdefghijklmnopqrstuvwxyz0123456789', 1 + floor(random() * 36)::int, 1), '')
  FROM generate_series(1, 12)
$$;

-- A volatile default is evaluated for the existing row too, so it gets its id here.
ALTER TABLE settings ADD COLUMN page_id text NOT NULL DEFAULT intermission_page_id()
  CHECK (page_id ~ '^[a-z0-9]{12}$');
