// The three roles and what each may do; every admin route and API endpoint names the least it needs.

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: 'sees everything, changes nothing',
  operator: 'runs maintenance: windows, components, incidents, updates, bypass links',
  admin: 'also manages users, API tokens and settings',
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
  role: Role;
  /** For the audit log and created_by columns, e.g. "user:alice@example.com" or "token:deploy". */
  label: string;
}
