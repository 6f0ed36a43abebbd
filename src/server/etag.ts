// A strong ETag for a body the gateway built once and serves many times (public JSON, feeds,
// badges): equal bytes give an equal tag on every gateway, so a poller's If-None-Match works anywhere.

import { createHash } from 'node:crypto';

export function strongEtag(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
