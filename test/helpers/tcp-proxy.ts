// A TCP proxy between a gateway and PostgreSQL, for tests that cut the database link on demand
// and count what the gateway sends: every frontend protocol message, by type, after start-up.

import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface TcpProxy {
  /** The database URL to give the gateway: same user, password, database and options, through the proxy. */
  url: string;
  port: number;
  /** Connections accepted and forwarded so far (refused ones not included). */
  readonly accepted: number;
  /** Frontend messages sent by clients after their start-up message, by type byte ('Q', 'P', 'B', 'E', 'S', ...). */
  counts(): Record<string, number>;
  /** Simple queries ('Q') plus extended-protocol parses ('P'): each one is a statement sent to the server. */
  statements(): number;
  /** The SQL of each statement counted by statements(), in the order sent. */
  sql(): string[];
  /** Destroys every connection and refuses new ones (reset as soon as they arrive) until restore(). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

// Special start-up codes: SSLRequest, GSSENCRequest and CancelRequest carry no type byte either.
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** Where a postgres:// URL points: a TCP host and port, or a unix socket file (`?host=/dir`). */
export function pgTarget(url: string): net.NetConnectOpts {
  const parsed = new URL(url);
  const port = Number(parsed.port || 5432);
  const host = parsed.searchParams.get('host') ?? decodeURIComponent(parsed.hostname);
  if (host.startsWith('/')) return { path: path.join(host, `.s.PGSQL.${port}`) };
  return { host: host.replace(/^\[|\]$/g, '') || 'localhost', port };
}

/** A statement's SQL: the body of a Query, or the second C string of a Parse (after its name). */
function sqlOf(type: string, body: Buffer): string | undefined {
  if (type === 'Q') return body.toString('utf8', 0, body.indexOf(0));
  if (type !== 'P') return undefined;
  const start = body.indexOf(0) + 1;
  return body.toString('utf8', start, body.indexOf(0, start));
}

/** Splits one client's byte stream into frontend messages and counts them by type. */
function createCounter(counts: Map<string, number>, statements: string[]): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  let startup = true;
  return function countMessages(chunk) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (startup) {
        if (pending.length < 8) return;
        const length = pending.readInt32BE(0);
        if (pending.length < length) return;
        const code = pending.readInt32BE(4);
        // After SSLRequest or GSSENCRequest the client sends the real start-up message.
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST && code !== CANCEL_REQUEST) startup = false;
        pending = pending.subarray(length);
        continue;
      }
      if (pending.length < 5) return;
      const length = pending.readInt32BE(1);
      if (pending.length < 1 + length) return;
      const type = String.fromCharCode(pending[0]!);
      counts.set(type, (counts.get(type) ?? 0) + 1);
      const sql = sqlOf(type, pending.subarray(5, 1 + length));
      if (sql !== undefined) statements.push(sql);
      pending = pending.subarray(1 + length);
    }
  };
}

export async function startTcpProxy(databaseUrl: string): Promise<TcpProxy> {
  const target = pgTarget(databaseUrl);
  const counts = new Map<string, number>();
  const statements: string[] = [];
  const pairs = new Set<net.Socket>();
  let refusing = false;
  let accepted = 0;

  const server = net.createServer(function onClient(client) {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    accepted += 1;
    const upstream = net.connect(target);
    const count = createCounter(counts, statements);
    pairs.add(client);
    pairs.add(upstream);
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      count(chunk);
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (chunk: Buffer) => {
      if (!client.write(chunk)) upstream.pause();
    });
    client.on('drain', () => upstream.resume());
    // A side that finishes is passed on after what it sent last (a Terminate message, an error).
    for (const [socket, other] of [[client, upstream], [upstream, client]] as const) {
      socket.on('end', () => other.end());
      socket.on('error', closeBoth);
      socket.on('close', () => {
        pairs.delete(socket);
        other.destroySoon();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const gatewayUrl = new URL(databaseUrl);
  gatewayUrl.searchParams.delete('host');
  gatewayUrl.hostname = '127.0.0.1';
  gatewayUrl.port = String(port);

  return {
    url: gatewayUrl.href,
    port,
    get accepted() {
      return accepted;
    },
    counts: () => Object.fromEntries(counts),
    statements: () => (counts.get('Q') ?? 0) + (counts.get('P') ?? 0),
    sql: () => [...statements],
    cut() {
      refusing = true;
      for (const socket of pairs) socket.destroy();
      pairs.clear();
    },
    restore() {
      refusing = false;
    },
    close() {
      refusing = true;
      for (const socket of pairs) socket.destroy();
      pairs.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
