// A browser-like client for the admin area (cookie jar, CSRF tokens read from the page, forms
// posted and redirects followed) and an API client with a bearer token. Users and tokens are
// made through the real modules, straight in the test database.

import { createApiToken } from '../../src/accounts/api-tokens.js';
import { hashPassword } from '../../src/accounts/passwords.js';
import type { Role } from '../../src/accounts/roles.js';
import { setMemberRole } from '../../src/accounts/site-members.js';
import { createUser } from '../../src/accounts/users.js';
import { writeAs } from '../../src/audit/write-as.js';
import type { Pool } from '../../src/db/pool.js';
import { request, type Response } from './http.js';

export const PASSWORD = 'correct horse battery staple';

export interface PageResponse extends Response {
  /** The URL of the last response, after redirects. */
  url: string;
}

/** The id of the site with this slug; without one, the default site (else the oldest). */
export async function siteIdOf(pool: Pool, slug?: string): Promise<string> {
  const { rows } = slug === undefined
    ? await pool.query<{ id: string }>('SELECT id::text FROM sites ORDER BY is_default DESC, id LIMIT 1')
    : await pool.query<{ id: string }>('SELECT id::text FROM sites WHERE slug = $1', [slug]);
  if (!rows[0]) throw new Error(`no site ${slug ?? '(default)'}`);
  return rows[0].id;
}

export interface UserOptions {
  /** The site they get the role in (slug); default: the default site. */
  site?: string;
  /** Default: true for an admin, as the migration to sites made every admin a global admin. */
  globalAdmin?: boolean;
}

/** Makes a user who can sign in with PASSWORD, with the role in a site. */
export async function makeUser(pool: Pool, email: string, role: Role, options: UserOptions = {}): Promise<string> {
  const hash = await hashPassword(PASSWORD);
  const siteId = await siteIdOf(pool, options.site);
  const globalAdmin = options.globalAdmin ?? (role === 'admin' && options.site === undefined);
  const user = await writeAs(pool, 'test', 'user.create', async (client) => {
    const created = await createUser(client, { email, name: '', globalAdmin, passwordHash: hash });
    await setMemberRole(client, siteId, created.id, role);
    return created;
  });
  return user.id;
}

/**
 * Makes an API token with the role; returns its secret. site: a slug, or null for a global token;
 * default: an admin token is global (as the migration made them), others act in the default site.
 */
export async function makeToken(pool: Pool, role: Role, name = `${role}-token`, expiresInMs: number | null = null, site?: string | null): Promise<string> {
  const siteId = site === null || (site === undefined && role === 'admin') ? null : await siteIdOf(pool, site);
  const { secret } = await writeAs(pool, 'test', 'token.create', (client) => createApiToken(client, { name, role, expiresInMs, siteId }));
  return secret;
}

/** The value of the first hidden _csrf input on the page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]*)"/.exec(html);
  if (!match) throw new Error('no _csrf field on the page');
  return match[1]!;
}

export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(res: Response): void {
    const setCookies = res.headers['set-cookie'] ?? [];
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** One request, no redirect followed. */
  async raw(method: string, path: string, body?: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Response> {
    const encoded = body && new URLSearchParams(Object.entries(body).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString();
    const res = await request(`${this.base}${path}`, {
      method,
      headers: {
        ...(this.cookies.size > 0 ? { cookie: this.cookieHeader() } : {}),
        ...(encoded !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      body: encoded,
    });
    this.remember(res);
    return res;
  }

  /** Follows redirects (as a browser does after a 303) and returns the last response. */
  async follow(res: Response, path: string): Promise<PageResponse> {
    let current = res;
    let url = path;
    for (let hops = 0; current.status >= 300 && current.status < 400 && current.headers.location; hops += 1) {
      if (hops > 5) throw new Error('too many redirects');
      const location = new URL(current.headers.location, `${this.base}${url}`);
      url = `${location.pathname}${location.search}`;
      current = await this.raw('GET', url);
    }
    return { ...current, url };
  }

  async get(path: string): Promise<PageResponse> {
    return this.follow(await this.raw('GET', path), path);
  }

  /** Posts a form with the CSRF token of the page at `from` (default: the form's own path). */
  async submit(path: string, fields: Record<string, string | string[]> = {}, from = path): Promise<PageResponse> {
    const page = await this.get(from);
    return this.post(path, { _csrf: csrfOf(page.body), ...fields });
  }

  /** Posts exactly these fields, following redirects. */
  async post(path: string, fields: Record<string, string | string[]>): Promise<PageResponse> {
    return this.follow(await this.raw('POST', path, fields), path);
  }

  async signIn(adminPath: string, email: string, password = PASSWORD): Promise<PageResponse> {
    return this.submit(`${adminPath}/login`, { email, password });
  }
}

/** A signed-in browser for a new user with the role. */
export async function signedIn(pool: Pool, base: string, adminPath: string, role: Role, email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`, options: UserOptions = {}): Promise<Browser> {
  await makeUser(pool, email, role, options);
  const browser = new Browser(base);
  const res = await browser.signIn(adminPath, email);
  if (res.url.includes('/login')) throw new Error(`could not sign in as ${email}: ${res.status}`);
  return browser;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Response['headers'];
  body: T;
}

/** Calls the API with a bearer token and a JSON body; parses the JSON answer. */
export async function api<T = any>(base: string, token: string | undefined, method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
  const res = await request(`${base}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: res.body ? JSON.parse(res.body) : undefined };
}
