// Passive detection, per process and per site: a run of requests forwarded to one site that failed
// (no answer, a timeout, a 5xx) judges that site's upstream down without waiting for the next active
// check. Another site's failures never count against it. The request path pays a map lookup; the
// report to the database happens once per run, in the background.

import { hostName } from '../decide/paths.js';
import type { Logger } from '../log.js';
import { routeHost } from '../sites/site-routes.js';
import type { SnapshotStore } from '../snapshot/store.js';

export interface FailureWatch {
  /** A request forwarded for `host` (its Host header) failed; `cause` is what it saw, e.g. "econnrefused" or "HTTP 502". */
  failed(host: string | undefined, cause: string): void;
  /** A request forwarded for `host` got an answer below 500. */
  succeeded(host: string | undefined): void;
}

export interface FailureWatchDeps {
  /** Failures in a row that make a report; 0 turns the watch off. */
  threshold: number;
  store: Pick<SnapshotStore, 'current'>;
  /** Judges the site's upstream down in the database (reportRequestFailures). */
  report: (siteId: string, cause: string) => Promise<unknown>;
  log: Logger;
}

interface SiteRun {
  /** Failures in a row. */
  run: number;
  // The "since" of the up state this process reported in: one report per time up, however long
  // the failures go on, until the snapshot has been down and up again (a new since).
  reportedIn: number | undefined;
}

const OFF: FailureWatch = Object.freeze({ failed() {}, succeeded() {} });

export function createFailureWatch({ threshold, store, report, log }: FailureWatchDeps): FailureWatch {
  if (!Number.isInteger(threshold) || threshold < 0) throw new RangeError(`request failure threshold ${threshold}: expected a whole number, 0 or more`);
  if (threshold === 0) return OFF;
  // Only sites with a failure since their last success: while every site answers, it stays empty
  // and a success costs one size check, no routing.
  const runs = new Map<string, SiteRun>();
  // Reported runs stay after a success, so the same "since" is not reported twice.
  const reported = new Map<string, number>();

  return {
    failed(host, cause) {
      const snapshot = routeHost(store.current(), hostName(host));
      if (snapshot === null) return;
      const siteId = snapshot.site.id;
      let site = runs.get(siteId);
      if (site === undefined) {
        site = { run: 0, reportedIn: reported.get(siteId) };
        runs.set(siteId, site);
      }
      site.run += 1;
      if (site.run < threshold) return;
      const upstream = snapshot.upstream;
      if (upstream.state === 'down' || site.reportedIn === upstream.since) return;
      site.reportedIn = upstream.since;
      reported.set(siteId, upstream.since);
      const message = `${site.run} forwarded requests in a row failed, the last with ${cause}`;
      log.warn({ site: snapshot.site.slug, run: site.run, cause }, 'forwarded requests keep failing; judging the upstream down');
      report(siteId, message).catch(function reportFailed(err: Error) {
        // Try again with the next failure: the database may be back by then.
        const current = runs.get(siteId);
        if (current) current.reportedIn = undefined;
        reported.delete(siteId);
        log.error({ site: snapshot.site.slug, err: err.message }, 'could not record the failed requests');
      });
    },
    succeeded(host) {
      if (runs.size === 0) return;
      const snapshot = routeHost(store.current(), hostName(host));
      if (snapshot !== null) runs.delete(snapshot.site.id);
    },
  };
}
