// One webhook attempt: a POST of the signed body, with a timeout, redirects not followed, and an
// abort signal for shutdown. It never throws: whatever happens is the attempt's result.

import type { AttemptResult } from './retry-policy.js';

export const USER_AGENT = 'intermission-webhooks';
// Enough of a refusal's body to say why ("invalid signature"), never a whole error page.
const SNIPPET_BYTES = 300;

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Aborts the attempt when the gateway stops. */
  signal?: AbortSignal;
}

async function snippet(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    // The rest of the body is not wanted; cancelling frees the connection.
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8');
  return text.replace(/\s+/g, ' ').trim();
}

function describeError(err: unknown): string {
  const error = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = error?.cause;
  return cause?.code ? `${cause.code}${cause.message ? `: ${cause.message}` : ''}` : (cause?.message ?? error?.message ?? String(err));
}

export async function sendWebhook({ url, body, headers, timeoutMs, signal }: WebhookRequest): Promise<AttemptResult> {
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol !== 'http:' && protocol !== 'https:') return { status: null, error: `not an http(s) URL: ${url.slice(0, 100)}` };
  // One controller per attempt, for the timeout and for shutdown alike: nothing is left listening
  // on the long-lived shutdown signal once the attempt is over.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const stop = () => controller.abort();
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
      // A redirect could send a signed event somewhere the admin never configured.
      redirect: 'manual',
      signal: controller.signal,
    });
    const status = response.status;
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => undefined);
      return { status, error: null };
    }
    if (status >= 300 && status < 400) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      return { status, error: `HTTP ${status}: redirects are not followed${location ? ` (to ${location.slice(0, 200)})` : ''}; configure the final URL` };
    }
    const text = await snippet(response).catch(() => '');
    return { status, error: `HTTP ${status}${text ? `: ${text}` : ''}` };
  } catch (err) {
    if (timedOut) return { status: null, error: `ETIMEDOUT: no answer within ${timeoutMs} ms` };
    if (controller.signal.aborted) return { status: null, error: 'aborted: the gateway stopped during the attempt' };
    return { status: null, error: describeError(err) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
}
