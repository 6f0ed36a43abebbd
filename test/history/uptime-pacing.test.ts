// The uptime is re-read at most once a minute however often the snapshot changes: a burst of
// changes gives one read at once and one at the end of the interval, none lost and none extra.

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { paceChanges } from '../../src/history/uptime-follower.js';
import type { SnapshotStore } from '../../src/snapshot/store.js';
import { EMPTY_SNAPSHOT } from '../../src/snapshot/types.js';

function fakeStore(): SnapshotStore {
  return { events: new EventEmitter(), current: () => EMPTY_SNAPSHOT } as unknown as SnapshotStore;
}

describe('uptime reload pacing', () => {
  it('passes the first change at once and folds a burst into one more at the end of the interval', async () => {
    const store = fakeStore();
    const paced = paceChanges(store, { minIntervalMs: 200 });
    let seen = 0;
    paced.events.on('change', () => (seen += 1));
    for (let i = 0; i < 20; i++) store.events.emit('change', EMPTY_SNAPSHOT);
    assert.equal(seen, 1, 'the first change passes at once');
    await sleep(100);
    store.events.emit('change', EMPTY_SNAPSHOT);
    assert.equal(seen, 1, 'still within the interval');
    await sleep(200);
    assert.equal(seen, 2, 'the rest of the burst, once, at the end of the interval');
    await sleep(300);
    assert.equal(seen, 2, 'nothing more without a change');
    store.events.emit('change', EMPTY_SNAPSHOT);
    assert.equal(seen, 3, 'a change after a quiet interval passes at once');
    paced.close();
    store.events.emit('change', EMPTY_SNAPSHOT);
    await sleep(250);
    assert.equal(seen, 3, 'nothing after close');
  });
});
