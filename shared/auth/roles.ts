/**
 * The roles a token can carry and their names for people: browser-safe (no node:crypto),
 * so the page (web/) imports them as the API does.
 */

export const ROLES = ['village', 'town', 'district', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = { village: '村（社区）', town: '镇', district: '区', admin: '管理员' };

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}
