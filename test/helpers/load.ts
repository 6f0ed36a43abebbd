// Steady traffic for tests that break something underneath the gateway: N clients, each sending
// one request after another over keep-alive connections, recording every outcome.

import http from 'node:http';

export interface LoadOutcome {
  /** When the request was sent and when it ended (Date.now()). */
  sentAt: number;
  endedAt: number;
  /** HTTP status, or 0 when the request failed without a response. */
  status: number;
  error?: string;
}

export interface Load {
  readonly outcomes: readonly LoadOutcome[];
  /** Stops sending, waits for the requests in flight, and returns every outcome. */
  stop(): Promise<LoadOutcome[]>;
}

function send(agent: http.Agent, url: string, headers: Record<string, string> = {}): Promise<LoadOutcome> {
  const sentAt = Date.now();
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ sentAt, endedAt: Date.now(), status: res.statusCode ?? 0 }));
      res.on('error', (err) => resolve({ sentAt, endedAt: Date.now(), status: 0, error: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out after 10 s')));
    req.on('error', (err) => resolve({ sentAt, endedAt: Date.now(), status: 0, error: err.message }));
  });
}

/** Starts `concurrency` clients requesting baseUrl + pathFor(n) until stop(). */
export function startLoad(baseUrl: string, { concurrency = 20, pathFor = (n: number) => `/load/${n}` } = {}): Load {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const outcomes: LoadOutcome[] = [];
  let stopping = false;
  let n = 0;
  const clients = Array.from({ length: concurrency }, async function client() {
    while (!stopping) {
      n += 1;
      outcomes.push(await send(agent, `${baseUrl}${pathFor(n)}`));
    }
  });
  return {
    outcomes,
    async stop() {
      stopping = true;
      await Promise.all(clients);
      agent.destroy();
      return outcomes;
    },
  };
}

/** Sends `total` GET requests, `concurrency` at a time over keep-alive connections; returns the outcomes in order. */
export async function sendMany(
  baseUrl: string,
  total: number,
  { concurrency = 20, pathFor = (n: number) => `/many/${n}`, headers = {} as Record<string, string> } = {},
): Promise<LoadOutcome[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const outcomes: LoadOutcome[] = new Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async function client() {
      for (let i = next++; i < total; i = next++) outcomes[i] = await send(agent, `${baseUrl}${pathFor(i)}`, headers);
    }),
  );
  agent.destroy();
  return outcomes;
}
