// Path handling shared by routing and deciding: one normal form, segment-aware prefixes.

const UNRESERVED_ESCAPE = /%(2[DdEe]|3[0-9]|[46][1-9A-Fa-f]|[57][0-9Aa]|5[Ff]|7[Ee])/g;

/**
 * The path of a request target in the form the application will most likely see: dot
 * segments resolved and needless escapes of plain characters decoded, so that neither
 * `/a/../admin` nor `/%61dmin` slips past a prefix rule written as `/admin`.
 */
export function normalizePath(target: string): string {
  const end = target.indexOf('?');
  const raw = end === -1 ? target : target.slice(0, end);
  // The common case needs no work: nothing to resolve and nothing escaped.
  if (raw.startsWith('/') && !raw.includes('%') && !raw.includes('/.') && !raw.includes('//') && !raw.includes('\\')) {
    return raw;
  }
  let pathname: string;
  try {
    pathname = new URL(raw.replace(/^\/+/, '/'), 'http://gateway.invalid').pathname;
  } catch {
    return raw;
  }
  return pathname.replace(UNRESERVED_ESCAPE, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
}

/** True when path is prefix itself or lies below it: `/api` covers `/api/x`, not `/apis`. */
export function hasPrefix(path: string, prefix: string): boolean {
  if (prefix.endsWith('/')) return path.startsWith(prefix) || path === prefix.slice(0, -1);
  return path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47 /* / */);
}

export function hasAnyPrefix(path: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) if (hasPrefix(path, prefix)) return true;
  return false;
}

/** Host header without port, lower-case. */
export function hostName(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  const host = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':', 1)[0]!;
  // "shop.example.com." is the same name, fully qualified: it must reach the same site and windows.
  return (host.endsWith('.') ? host.slice(0, -1) : host).toLowerCase();
}

/**
 * A return path that is safe to send someone back to: same origin, absolute path.
 * Anything else (`//evil.example`, `/\evil.example`, `https://…`, control characters) gives undefined.
 */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return undefined;
  return value;
}
