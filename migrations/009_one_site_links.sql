-- Rows that point at each other belong to the same site: a window names its own site's components,
-- an update tells of its own site's window or incident, and so on. The admin area checks it first,
-- to name the id in a 400; these hold it for every writer, plain SQL and future code included.

-- Where the pointing row has a site_id of its own, the foreign key takes the site along: it points
-- at (id, site_id), unique because id is. A delete does what it did (SET NULL names the one column
-- to clear, since site_id must stay), and a referenced row cannot change site under its pointers.
ALTER TABLE components ADD CONSTRAINT components_id_site_unique UNIQUE (id, site_id);
ALTER TABLE component_groups ADD CONSTRAINT component_groups_id_site_unique UNIQUE (id, site_id);
ALTER TABLE windows ADD CONSTRAINT windows_id_site_unique UNIQUE (id, site_id);
ALTER TABLE window_series ADD CONSTRAINT window_series_id_site_unique UNIQUE (id, site_id);
ALTER TABLE incidents ADD CONSTRAINT incidents_id_site_unique UNIQUE (id, site_id);

ALTER TABLE components
  DROP CONSTRAINT components_group_id_fkey,
  ADD CONSTRAINT components_group_same_site FOREIGN KEY (group_id, site_id)
    REFERENCES component_groups (id, site_id) ON DELETE SET NULL (group_id);
ALTER TABLE windows
  DROP CONSTRAINT windows_series_id_fkey,
  ADD CONSTRAINT windows_series_same_site FOREIGN KEY (series_id, site_id)
    REFERENCES window_series (id, site_id) ON DELETE SET NULL (series_id);
ALTER TABLE updates
  DROP CONSTRAINT updates_window_id_fkey,
  DROP CONSTRAINT updates_incident_id_fkey,
  ADD CONSTRAINT updates_window_same_site FOREIGN KEY (window_id, site_id)
    REFERENCES windows (id, site_id) ON DELETE CASCADE,
  ADD CONSTRAINT updates_incident_same_site FOREIGN KEY (incident_id, site_id)
    REFERENCES incidents (id, site_id) ON DELETE CASCADE;
ALTER TABLE outages
  DROP CONSTRAINT outages_incident_id_fkey,
  DROP CONSTRAINT outages_component_id_fkey,
  ADD CONSTRAINT outages_incident_same_site FOREIGN KEY (incident_id, site_id)
    REFERENCES incidents (id, site_id) ON DELETE SET NULL (incident_id),
  ADD CONSTRAINT outages_component_same_site FOREIGN KEY (component_id, site_id)
    REFERENCES components (id, site_id) ON DELETE SET NULL (component_id);
ALTER TABLE settings
  DROP CONSTRAINT settings_upstream_component_id_fkey,
  ADD CONSTRAINT settings_upstream_component_same_site FOREIGN KEY (upstream_component_id, site_id)
    REFERENCES components (id, site_id) ON DELETE SET NULL (upstream_component_id);

-- The link tables have no site of their own (a link is its two ends), and a series keeps its
-- components in an array, which no foreign key covers: a trigger compares the sites instead. The
-- error is a check violation named after the trigger, which the gateway reports as bad input.
CREATE FUNCTION intermission_components_one_site() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- TG_ARGV: the table of the row that names components, and the column holding that row's id
  -- (for a link table), or nothing when the row itself has site_id and component_ids.
  owner_table text := coalesce(TG_ARGV[0], TG_TABLE_NAME);
  owner_id text := to_jsonb(NEW) ->> coalesce(TG_ARGV[1], 'id');
  owner_site bigint;
  component_ids bigint[];
  stray bigint;
BEGIN
  IF TG_NARGS = 0 THEN
    owner_site := NEW.site_id;
    component_ids := NEW.component_ids;
  ELSE
    EXECUTE format('SELECT site_id FROM %I WHERE id = $1', owner_table) INTO owner_site USING owner_id::bigint;
    component_ids := ARRAY[NEW.component_id];
  END IF;
  -- Ids that name no row are the foreign keys' business (or, in an array, skipped when expanding).
  IF owner_site IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT c.id INTO stray FROM components c WHERE c.id = ANY (component_ids) AND c.site_id IS DISTINCT FROM owner_site LIMIT 1;
  IF stray IS NOT NULL THEN
    RAISE EXCEPTION 'component % is in another site than % %', stray, owner_table, owner_id
      USING ERRCODE = 'check_violation', CONSTRAINT = TG_NAME;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER window_components_one_site BEFORE INSERT OR UPDATE ON window_components
  FOR EACH ROW EXECUTE FUNCTION intermission_components_one_site('windows', 'window_id');
CREATE TRIGGER incident_components_one_site BEFORE INSERT OR UPDATE ON incident_components
  FOR EACH ROW EXECUTE FUNCTION intermission_components_one_site('incidents', 'incident_id');
CREATE TRIGGER window_series_components_one_site BEFORE INSERT OR UPDATE OF component_ids, site_id ON window_series
  FOR EACH ROW EXECUTE FUNCTION intermission_components_one_site();

-- A row stays in the site it was made in: moving one would leave its links (and its history in
-- the audit log and the events) in the site it left.
CREATE FUNCTION intermission_site_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% % cannot move to another site: make it anew there', TG_TABLE_NAME, to_jsonb(OLD) ->> 'id'
    USING ERRCODE = 'check_violation', CONSTRAINT = TG_NAME;
END
$$;

DO $$
DECLARE
  per_site text;
BEGIN
  FOREACH per_site IN ARRAY ARRAY['components', 'component_groups', 'windows', 'window_series', 'incidents', 'updates',
                                  'bypass_links', 'webhooks', 'outages', 'events'] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I BEFORE UPDATE OF site_id ON %I FOR EACH ROW WHEN (OLD.site_id IS DISTINCT FROM NEW.site_id) EXECUTE FUNCTION intermission_site_fixed()',
      per_site || '_site_fixed', per_site);
  END LOOP;
END
$$;
