-- Each component's status over time, for the 90-day uptime bars on the status page. Written by a
-- trigger, so every way a status changes (admin pages, the API, incidents, the health checks, plain
-- SQL) is recorded the same way.

CREATE TABLE component_status_changes (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  component_id bigint NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  status       text NOT NULL CHECK (status IN
                 ('operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance')),
  -- The status holds from this moment until the component's next row.
  from_at      timestamptz NOT NULL DEFAULT now()
);
-- The uptime query walks each component's changes in time order.
CREATE INDEX component_status_changes_idx ON component_status_changes (component_id, from_at);

CREATE FUNCTION intermission_record_component_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO component_status_changes (component_id, status) VALUES (NEW.id, NEW.status);
  RETURN NULL;
END;
$$;

CREATE TRIGGER components_status_history_insert AFTER INSERT ON components
  FOR EACH ROW EXECUTE FUNCTION intermission_record_component_status();
-- Only a real change: saving a component's name or position leaves its status history alone.
CREATE TRIGGER components_status_history_update AFTER UPDATE OF status ON components
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION intermission_record_component_status();

-- Components that exist already start their record now: nothing kept their earlier statuses, so
-- their bars show no data before today rather than 90 days of uptime nobody measured.
INSERT INTO component_status_changes (component_id, status, from_at)
SELECT id, status, now() FROM components;
