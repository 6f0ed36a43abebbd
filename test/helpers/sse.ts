// A raw Server-Sent Events reader for tests: it keeps the response headers, every event and every
// comment line (heartbeats), which a browser's EventSource would hide.

import http from 'node:http';

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
  /** Date.now() when the event was complete. */
  at: number;
}

export interface SseStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: SseEvent[];
  /** Comment lines (without the colon), heartbeats among them. */
  comments: string[];
  retry: number | undefined;
  /** Resolves with the first event at index `from` or later that matches, or rejects after timeoutMs. */
  next(from: number, timeoutMs: number, match?: (event: SseEvent) => boolean): Promise<SseEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      const wakers = new Set<() => void>();
      let buffer = '';
      let ended!: () => void;
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        comments: [],
        retry: undefined,
        next(from, timeoutMs, match = () => true) {
          return new Promise((done, fail) => {
            const check = (): boolean => {
              const found = stream.events.slice(from).find(match);
              if (!found) return false;
              clearTimeout(timer);
              wakers.delete(check);
              done(found);
              return true;
            };
            const timer = setTimeout(() => {
              wakers.delete(check);
              fail(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(stream.events.slice(from))}`));
            }, timeoutMs);
            if (!check()) wakers.add(check);
          });
        },
        ended: new Promise((done) => (ended = done)),
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event: SseEvent = { id: undefined, event: 'message', data: '', at: Date.now() };
          let hasData = false;
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            const field = colon === -1 ? line : line.slice(0, colon);
            const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === '') stream.comments.push(value);
            else if (field === 'id') event.id = value;
            else if (field === 'event') event.event = value;
            else if (field === 'retry') stream.retry = Number(value);
            else if (field === 'data') {
              event.data += (hasData ? '\n' : '') + value;
              hasData = true;
            }
          }
          if (hasData) stream.events.push(event);
        }
        for (const wake of [...wakers]) wake();
      });
      res.on('end', () => ended());
      res.on('close', () => ended());
      resolve(stream);
    });
    req.on('error', reject);
  });
}
