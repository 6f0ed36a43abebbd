// One load at a time, none lost: a call while a load is in flight asks for one more after it, and
// any number of such calls share that one. Used by the snapshot and by what follows it.

/** Wraps `run`; the returned function resolves once a run that started after the call is done. */
export function coalesced(run: () => Promise<void>, keepGoing: () => boolean = () => true): () => Promise<void> {
  let inFlight: Promise<void> | null = null;
  let pending = false;
  return function runCoalesced() {
    if (inFlight) {
      pending = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        pending = false;
        await run();
      } while (pending && keepGoing());
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
