// What the public API's tests share: reading a document as a poller does, waiting for a change to
// reach it (NOTIFY, then the snapshot, then the public data), and making data through the admin API.

import assert from 'node:assert/strict';
import { api } from '../helpers/admin.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { request, type Response } from '../helpers/http.js';

export const STATUS = '/status';
export const API = '/admin/api/v1';

export interface Document<T = any> extends Response {
  json: T;
}

/** GET STATUS_PATH/api/v2/<path> (or another path under STATUS_PATH), parsed when it is JSON. */
export async function v2<T = any>(gw: TestGateway, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Document<T>> {
  const url = path.startsWith('/') ? `${gw.url}${STATUS}${path}` : `${gw.url}${STATUS}/api/v2/${path}`;
  const res = await request(url, { method, headers });
  const json = res.body !== '' && /json/.test(res.headers['content-type'] ?? '') ? JSON.parse(res.body) : undefined;
  return { ...res, json };
}

/** Polls the document until check passes (a change takes a few milliseconds to reach it). */
export async function waitForDocument<T = any>(gw: TestGateway, path: string, check: (json: T) => boolean, message: string): Promise<T> {
  let last: T | undefined;
  await waitFor(async () => check((last = (await v2<T>(gw, path)).json)), 3000, `${path}: ${message}`);
  return last!;
}

/** An admin API call that must succeed; returns its body. */
export async function admin(gw: TestGateway, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await api(gw.url, token, method, `${API}${path}`, body);
  assert.ok(res.status >= 200 && res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A time `ms` from now, as the admin API takes it. */
export function fromNow(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}
