/** The console's pages, in navigation order. */
export const navItems = [
  { href: '/', label: 'Overview' },
  { href: '/settings', label: 'SSO settings' },
  { href: '/users', label: 'Users' },
  { href: '/groups', label: 'Groups' },
  { href: '/logins', label: 'Login history' },
  { href: '/changes', label: 'Change log' },
  { href: '/doctor', label: 'Token doctor' },
] as const;

export function isCurrent(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}
