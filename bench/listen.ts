// Shared by the bench's own child servers (upstream, bare proxies): listen on 127.0.0.1, tell the
// parent the port on stdout, and never outlive the bench.

import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The stdout line a bench child prints once it listens; the parent waits for it. */
export interface ListeningLine {
  listening: number;
}

export function parseListening(line: string): number | undefined {
  if (!line.startsWith('{"listening"')) return undefined;
  return (JSON.parse(line) as ListeningLine).listening;
}

// A bench child that lives longer than this has been forgotten; the whole bench is shorter.
const MAX_LIFETIME_MS = 30 * 60_000;

export function listenForBench(server: http.Server): void {
  server.listen(0, '127.0.0.1', function announce() {
    const line: ListeningLine = { listening: (server.address() as AddressInfo).port };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  });
  const exit = (): void => process.exit(0);
  // The parent holds our stdin open; when it dies, even by SIGKILL, stdin ends and so do we.
  process.stdin.on('end', exit).on('error', exit).resume();
  process.on('SIGTERM', exit);
  process.on('SIGINT', exit);
  setTimeout(exit, MAX_LIFETIME_MS).unref();
}
