-- Maintenance that runs itself: scheduled jobs run once across gateways, recurring series expanded
-- into windows, the windows' lifecycle, an outbox of events for webhooks and e-mail, and the
-- upstream's health with the outages it caused.

-- One row per job and tick. Every gateway's scheduler tries to insert the tick's key; only the one
-- that succeeds runs it, so a job runs once per tick however many gateways there are.
CREATE TABLE job_runs (
  key         text PRIMARY KEY,
  job         text NOT NULL,
  ran_by      text NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX job_runs_started_idx ON job_runs (started_at);

-- A recurring series: a node-cron expression read in an IANA time zone, and a duration. A job
-- expands it into concrete windows ahead, so the request path only ever sees windows.
CREATE TABLE window_series (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  message         text NOT NULL DEFAULT '' CHECK (length(message) <= 5000),
  kind            text NOT NULL DEFAULT 'maintenance' CHECK (kind IN ('maintenance', 'downtime')),
  mode            text NOT NULL DEFAULT 'block' CHECK (mode IN ('block', 'read_only')),
  response        text NOT NULL DEFAULT 'render' CHECK (response IN ('render', 'redirect')),
  path_prefixes   text[] NOT NULL DEFAULT '{}' CHECK (cardinality(path_prefixes) <= 100),
  hosts           text[] NOT NULL DEFAULT '{}' CHECK (cardinality(hosts) <= 100),
  component_ids   bigint[] NOT NULL DEFAULT '{}' CHECK (cardinality(component_ids) <= 100),
  cron            text NOT NULL CHECK (length(cron) BETWEEN 9 AND 200),
  time_zone       text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 100),
  duration        interval NOT NULL CHECK (duration > interval '0' AND duration <= interval '7 days'),
  -- The last day, in time_zone, on which an occurrence may start; NULL: no end.
  ends_on         date,
  verify_upstream boolean NOT NULL DEFAULT false,
  created_by      text NOT NULL DEFAULT intermission_actor(),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER window_series_audit AFTER INSERT OR UPDATE OR DELETE ON window_series
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('id');

-- An occurrence keeps the slot it was expanded for, so expansion is idempotent
-- (ON CONFLICT DO NOTHING) and an occurrence moved by hand still blocks its original slot.
ALTER TABLE windows ADD COLUMN series_id bigint REFERENCES window_series (id) ON DELETE SET NULL;
ALTER TABLE windows ADD COLUMN occurrence_at timestamptz;
-- Edited or skipped by hand: regenerating the series leaves it alone.
ALTER TABLE windows ADD COLUMN detached boolean NOT NULL DEFAULT false;
ALTER TABLE windows ADD CONSTRAINT windows_series_occurrence_unique UNIQUE (series_id, occurrence_at);
ALTER TABLE windows ADD CONSTRAINT windows_occurrence_with_series CHECK ((series_id IS NULL) OR (occurrence_at IS NOT NULL));

-- The lifecycle Statuspage names, moved forward by a job; requests are still decided by the times.
ALTER TABLE windows ADD COLUMN lifecycle text NOT NULL DEFAULT 'scheduled'
  CHECK (lifecycle IN ('scheduled', 'in_progress', 'verifying', 'completed'));
-- Hold traffic after the end until the upstream passes a health check (or a limit is reached).
ALTER TABLE windows ADD COLUMN verify_upstream boolean NOT NULL DEFAULT false;
-- What actually happened, against the plan: the end first planned, and when it really started and completed.
ALTER TABLE windows ADD COLUMN planned_ends_at timestamptz;
ALTER TABLE windows ADD COLUMN started_at timestamptz;
ALTER TABLE windows ADD COLUMN completed_at timestamptz;
-- When subscribers were reminded of the start.
ALTER TABLE windows ADD COLUMN reminded_at timestamptz;

UPDATE windows SET planned_ends_at = ends_at;
UPDATE windows SET lifecycle = 'completed', started_at = starts_at,
       completed_at = least(coalesce(ended_at, 'infinity'), coalesce(ends_at, 'infinity'))
 WHERE least(coalesce(ended_at, 'infinity'), coalesce(ends_at, 'infinity')) <= now();
UPDATE windows SET lifecycle = 'in_progress', started_at = starts_at
 WHERE lifecycle = 'scheduled' AND starts_at <= now();

CREATE FUNCTION intermission_planned_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.planned_ends_at := NEW.ends_at;
  RETURN NEW;
END;
$$;
CREATE TRIGGER windows_planned_end BEFORE INSERT ON windows
  FOR EACH ROW EXECUTE FUNCTION intermission_planned_end();

-- The lifecycle job looks for windows whose state is behind their times.
CREATE INDEX windows_lifecycle_idx ON windows (starts_at) WHERE lifecycle <> 'completed';
CREATE INDEX updates_window_idx ON updates (window_id, created_at DESC) WHERE window_id IS NOT NULL;

-- Requests held, counted by each gateway in memory and added here every few seconds. Apart from
-- windows so that counting neither reloads every snapshot nor fills the audit log.
CREATE TABLE held_requests (
  window_id bigint REFERENCES windows (id) ON DELETE CASCADE,
  outage_id bigint,
  count     bigint NOT NULL DEFAULT 0 CHECK (count >= 0),
  CONSTRAINT held_requests_one_subject CHECK ((window_id IS NULL) <> (outage_id IS NULL)),
  CONSTRAINT held_requests_window_unique UNIQUE (window_id),
  CONSTRAINT held_requests_outage_unique UNIQUE (outage_id)
);

-- The upstream as the health checks judge it: one row, shared by every gateway.
CREATE TABLE upstream_health (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  state      text NOT NULL DEFAULT 'up' CHECK (state IN ('up', 'down')),
  since      timestamptz NOT NULL DEFAULT now(),
  -- Consecutive failed and passed checks; one resets the other.
  failures   integer NOT NULL DEFAULT 0,
  successes  integer NOT NULL DEFAULT 0,
  checked_at timestamptz,
  last_error text,
  outage_id  bigint
);
INSERT INTO upstream_health DEFAULT VALUES;
-- Every check writes the row (its counters, checked_at), but the snapshot reads only its state,
-- since and outage: the gateways reload when those change, not on every check.
CREATE TRIGGER upstream_health_notify AFTER INSERT OR DELETE OR TRUNCATE ON upstream_health
  FOR EACH STATEMENT EXECUTE FUNCTION intermission_notify_change();
CREATE TRIGGER upstream_health_state_notify AFTER UPDATE ON upstream_health
  FOR EACH ROW
  WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.since IS DISTINCT FROM NEW.since OR OLD.outage_id IS DISTINCT FROM NEW.outage_id)
  EXECUTE FUNCTION intermission_notify_change();

-- Unplanned downtime, from detection to recovery.
CREATE TABLE outages (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  started_at         timestamptz NOT NULL DEFAULT now(),
  ended_at           timestamptz,
  -- What judged the upstream down: 'health_check' or 'requests', and what it saw.
  detected_by        text NOT NULL CHECK (detected_by IN ('health_check', 'requests')),
  cause              text NOT NULL CHECK (length(cause) <= 1000),
  incident_id        bigint REFERENCES incidents (id) ON DELETE SET NULL,
  component_id       bigint REFERENCES components (id) ON DELETE SET NULL,
  -- The component's status before the outage, put back at recovery.
  component_previous text,
  CONSTRAINT outages_end_after_start CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX outages_one_open_idx ON outages ((true)) WHERE ended_at IS NULL;
ALTER TABLE upstream_health ADD CONSTRAINT upstream_health_outage_fk FOREIGN KEY (outage_id) REFERENCES outages (id) ON DELETE SET NULL;
ALTER TABLE held_requests ADD CONSTRAINT held_requests_outage_fk FOREIGN KEY (outage_id) REFERENCES outages (id) ON DELETE CASCADE;

-- What automation may do, set in the admin area.
ALTER TABLE settings ADD COLUMN auto_incidents boolean NOT NULL DEFAULT true;
ALTER TABLE settings ADD COLUMN upstream_component_id bigint REFERENCES components (id) ON DELETE SET NULL;
ALTER TABLE settings ADD COLUMN reminder_minutes integer NOT NULL DEFAULT 60 CHECK (reminder_minutes BETWEEN 1 AND 10080);

-- Admins who want reminders by e-mail.
ALTER TABLE users ADD COLUMN email_reminders boolean NOT NULL DEFAULT false;

-- The outbox: what happened, in order. Written by triggers in the transaction of the change, by
-- whatever made it (admin, API, CLI, SQL, a job), and fanned out to webhooks from here.
CREATE TABLE events (
  id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type text NOT NULL CHECK (type IN ('window.scheduled', 'window.reminder', 'window.started', 'window.extended',
                                     'window.ended', 'window.cancelled', 'incident.updated',
                                     'component.status_changed', 'webhook.test')),
  at   timestamptz NOT NULL DEFAULT now(),
  data jsonb NOT NULL
);
CREATE INDEX events_at_idx ON events (at);

CREATE FUNCTION intermission_event(event_type text, event_data jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO events (type, data) VALUES (event_type, event_data);
END;
$$;

CREATE FUNCTION intermission_window_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  data jsonb := jsonb_build_object('window', to_jsonb(NEW) - 'detached');
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Occurrences of a series are announced by reminders, or every expansion would be an event storm.
    IF NEW.series_id IS NULL AND NEW.starts_at > now() THEN
      PERFORM intermission_event('window.scheduled', data);
    END IF;
    RETURN NULL;
  END IF;
  IF NEW.ended_at IS NOT NULL AND NEW.ended_at <= NEW.starts_at AND (OLD.ended_at IS NULL OR OLD.ended_at > OLD.starts_at) THEN
    PERFORM intermission_event('window.cancelled', data);
  END IF;
  IF NEW.lifecycle = 'in_progress' AND OLD.lifecycle = 'scheduled' THEN
    PERFORM intermission_event('window.started', data);
  END IF;
  IF NEW.lifecycle = 'completed' AND OLD.lifecycle IN ('in_progress', 'verifying') THEN
    PERFORM intermission_event('window.ended', data);
  END IF;
  IF NEW.lifecycle IN ('scheduled', 'in_progress') AND OLD.ends_at IS NOT NULL
     AND (NEW.ends_at IS NULL OR NEW.ends_at > OLD.ends_at) THEN
    PERFORM intermission_event('window.extended', data || jsonb_build_object('previous_ends_at', OLD.ends_at));
  END IF;
  IF NEW.reminded_at IS NOT NULL AND OLD.reminded_at IS NULL THEN
    PERFORM intermission_event('window.reminder', data);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER windows_events AFTER INSERT OR UPDATE ON windows
  FOR EACH ROW EXECUTE FUNCTION intermission_window_events();

CREATE FUNCTION intermission_incident_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.incident_id IS NOT NULL THEN
    PERFORM intermission_event('incident.updated', jsonb_build_object(
      'incident', (SELECT to_jsonb(i) FROM incidents i WHERE i.id = NEW.incident_id),
      'update', to_jsonb(NEW)));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER updates_events AFTER INSERT ON updates
  FOR EACH ROW EXECUTE FUNCTION intermission_incident_events();

CREATE FUNCTION intermission_component_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    PERFORM intermission_event('component.status_changed',
      jsonb_build_object('component', to_jsonb(NEW), 'previous_status', OLD.status));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER components_events AFTER UPDATE OF status ON components
  FOR EACH ROW EXECUTE FUNCTION intermission_component_events();

-- Receivers of events. The secret signs each delivery; it is kept to sign, never shown again.
CREATE TABLE webhooks (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  url         text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 200),
  events      text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 20),
  -- json: the event as JSON; slack: a Slack-compatible {"text": ...} message.
  format      text NOT NULL DEFAULT 'json' CHECK (format IN ('json', 'slack')),
  secret      text NOT NULL CHECK (length(secret) BETWEEN 16 AND 200),
  enabled     boolean NOT NULL DEFAULT true,
  -- The audit trigger leaves the secret out, so a rotation is recorded by this column changing.
  secret_rotated_at timestamptz,
  created_by  text NOT NULL DEFAULT intermission_actor(),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER webhooks_audit AFTER INSERT OR UPDATE OR DELETE ON webhooks
  FOR EACH ROW EXECUTE FUNCTION intermission_audit('id', 'secret');

CREATE TABLE webhook_deliveries (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  webhook_id      bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id        bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  -- Due at; while an attempt is under way, the end of its lease.
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  response_status integer,
  last_error      text CHECK (length(last_error) <= 1000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  CONSTRAINT webhook_deliveries_once UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id DESC);

-- Fan-out in the event's own transaction: a delivery exists for every webhook subscribed at the
-- time, or for none if the change rolled back.
CREATE FUNCTION intermission_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.type = 'webhook.test' THEN
    INSERT INTO webhook_deliveries (webhook_id, event_id)
    VALUES ((NEW.data ->> 'webhook_id')::bigint, NEW.id);
  ELSE
    INSERT INTO webhook_deliveries (webhook_id, event_id)
    SELECT w.id, NEW.id FROM webhooks w WHERE w.enabled AND NEW.type = ANY (w.events);
  END IF;
  PERFORM pg_notify('intermission_events', NEW.id::text);
  RETURN NULL;
END;
$$;
CREATE TRIGGER events_fan_out AFTER INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION intermission_fan_out();
