import type { ViewCtx } from '../context';
import type { Role } from '../../db/schema';

/**
 * One entry per page a role reaches from the menu. Each feature registers its own entries from its
 * route file (registerNav), so adding a feature never edits a shared list.
 */
export type NavItem = { href: string; label: { en: string; ru: string }; roles: Role[]; order: number };

const NAV: NavItem[] = [];

export function registerNav(item: NavItem): void {
  if (NAV.some((n) => n.href === item.href)) return;
  NAV.push(item);
  NAV.sort((a, b) => a.order - b.order);
}

export function navFor(ctx: ViewCtx): NavItem[] {
  if (!ctx.user) return [];
  const roles = new Set(ctx.user.roles.map((r) => r.role));
  return NAV.filter((n) => n.roles.some((r) => roles.has(r)));
}
