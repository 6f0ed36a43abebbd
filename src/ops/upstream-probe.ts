// One health check of the application behind the gateway, for the admin dashboard: a GET of the
// upstream URL with a short timeout, reported as a status code and a latency, or as the error.
// It never throws: a dashboard must render even when the application is down.

import http from 'node:http';
import https from 'node:https';

export interface ProbeResult {
  url: string;
  /** The upstream answered with a status below 500. */
  ok: boolean;
  status: number | null;
  latencyMs: number;
  /** e.g. ECONNREFUSED, ETIMEDOUT, or "HTTP 503"; null when it answered fine. */
  error: string | null;
}

export interface UpstreamProbeOptions {
  url: URL;
  timeoutMs?: number;
  now?: () => number;
}

export type UpstreamProbe = () => Promise<ProbeResult>;

export function createUpstreamProbe({ url, timeoutMs = 2000, now = () => performance.now() }: UpstreamProbeOptions): UpstreamProbe {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`upstream probe: ${url.href} is not an http(s) URL`);
  const client = url.protocol === 'https:' ? https : http;
  const target = url.href;

  return function probeUpstream() {
    const started = now();
    return new Promise<ProbeResult>((resolve) => {
      let settled = false;
      function finish(status: number | null, error: string | null): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const ok = status !== null && status < 500;
        resolve({ url: target, ok, status, latencyMs: Math.round(now() - started), error: error ?? (ok ? null : `HTTP ${status}`) });
      }
      // No keep-alive agent: a probe must see a fresh connection, as a new customer would.
      const req = client.get(target, { agent: false, headers: { 'user-agent': 'intermission-probe', accept: '*/*' } }, (res) => {
        finish(res.statusCode ?? null, null);
        // Only the status line matters; the body could be large.
        res.destroy();
      });
      const timer = setTimeout(() => {
        finish(null, `ETIMEDOUT: no answer within ${timeoutMs} ms`);
        req.destroy();
      }, timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => finish(null, err.code ?? err.message));
    });
  };
}
