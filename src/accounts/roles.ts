// The three roles and what each may do in a site; every admin route and API endpoint names the
// least it needs. A global admin is an admin in every site, and also manages sites and users.

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: 'sees everything, changes nothing',
  operator: 'runs maintenance: windows, components, incidents, updates, bypass links',
  admin: 'also manages the team, API tokens and settings',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function hasRole(role: Role, least: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(least);
}

/** Who is acting on an admin page or through the API. */
export interface Actor {
  kind: 'user' | 'token';
  id: string;
  /** The user's email, or the token's name. */
  name: string;
  /**
   * The role in the site this request acts in, set by the site scope (site-scope.ts). Outside a
   * site (sign-in, global pages) it is the highest the actor has anywhere, for the nav only.
   */
  role: Role;
  /** Manages sites and users, and is an admin in every site. */
  globalAdmin: boolean;
  /** The role in each site the actor belongs to, by site id. */
  siteRoles: ReadonlyMap<string, Role>;
  /** For a token: the one site it acts in; null for a global token. Undefined for users. */
  tokenSiteId?: string | null;
  /** For the audit log and created_by columns, e.g. "user:alice@example.com" or "token:deploy". */
  label: string;
}

/** The actor's role in a site, or undefined when the site is not theirs. */
export function roleIn(actor: Pick<Actor, 'globalAdmin' | 'siteRoles'>, siteId: string): Role | undefined {
  return actor.globalAdmin ? 'admin' : actor.siteRoles.get(siteId);
}

/** The highest role the actor has in any site: what the global pages go by. */
export function highestRole(actor: Pick<Actor, 'globalAdmin' | 'siteRoles'>): Role {
  if (actor.globalAdmin) return 'admin';
  let best: Role = 'viewer';
  for (const role of actor.siteRoles.values()) if (hasRole(role, best)) best = role;
  return best;
}
