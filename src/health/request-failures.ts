// Passive detection, per process: a run of forwarded requests that failed (no answer, a timeout,
// a 5xx) judges the upstream down without waiting for the next active check. The request path
// pays one integer; the report to the database happens once per run, in the background.

import { mainSite } from '../sites/site-routes.js';
import type { Logger } from '../log.js';
import type { SnapshotStore } from '../snapshot/store.js';

export interface FailureWatch {
  /** A forwarded request failed; `cause` is what it saw, e.g. "econnrefused" or "HTTP 502". */
  failed(cause: string): void;
  /** A forwarded request got an answer below 500. */
  succeeded(): void;
}

export interface FailureWatchDeps {
  /** Failures in a row that make a report; 0 turns the watch off. */
  threshold: number;
  store: Pick<SnapshotStore, 'current'>;
  /** Judges the upstream down in the database (reportRequestFailures). */
  report: (cause: string) => Promise<unknown>;
  log: Logger;
}

const OFF: FailureWatch = Object.freeze({ failed() {}, succeeded() {} });

export function createFailureWatch({ threshold, store, report, log }: FailureWatchDeps): FailureWatch {
  if (!Number.isInteger(threshold) || threshold < 0) throw new RangeError(`request failure threshold ${threshold}: expected a whole number, 0 or more`);
  if (threshold === 0) return OFF;
  let run = 0;
  // The "since" of the up state this process reported in: one report per time up, however long
  // the failures go on, until the snapshot has been down and up again (a new since).
  let reportedIn: number | undefined;

  return {
    failed(cause) {
      run += 1;
      if (run < threshold) return;
      const upstream = mainSite(store.current()).upstream;
      if (upstream.state === 'down' || reportedIn === upstream.since) return;
      reportedIn = upstream.since;
      const message = `${run} forwarded requests in a row failed, the last with ${cause}`;
      log.warn({ run, cause }, 'forwarded requests keep failing; judging the upstream down');
      report(message).catch(function reportFailed(err: Error) {
        // Try again with the next failure: the database may be back by then.
        reportedIn = undefined;
        log.error({ err: err.message }, 'could not record the failed requests');
      });
    },
    succeeded() {
      run = 0;
    },
  };
}
