'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { OfflineBanner } from '@/components/ui/offline-banner';
import { roleLabel, useConsoleSession } from './console-context';
import { isCurrent, navItems } from './nav-items';

/** Header (who is signed in, role, sign out) and navigation: a sidebar on laptops, a menu on tablets. */
export function ConsoleShell({ children }: { children: ReactNode }) {
  const { actor, signOut } = useConsoleSession();
  const pathname = usePathname();
  const [menuOpen, setMenuOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- a navigation closes the menu
  useEffect(() => setMenuOpen(false), [pathname]);
  const role = roleLabel(actor.roles);
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white">
        <OfflineBanner />
        <div className="flex items-center gap-3 px-4 py-2.5">
          <Button size="sm" className="lg:hidden" aria-expanded={menuOpen} aria-controls="console-nav" onClick={() => setMenuOpen((o) => !o)}>
            Menu
          </Button>
          <Link href="/" className="text-base font-semibold text-brand-900">
            ICE SSO console
          </Link>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="hidden text-right sm:block" data-testid="signed-in-as">
              <span className="block font-medium">{actor.displayName ?? actor.name}</span>
              <span className="block text-xs text-slate-500">
                {actor.name} · {actor.kind === 'local' ? 'local break-glass account' : 'Entra ID'}
              </span>
            </span>
            <Badge tone={role === 'Admin' ? 'brand' : 'neutral'}>{role}</Badge>
            <Button
              size="sm"
              busy={signingOut}
              onClick={() => {
                setSigningOut(true);
                void signOut().finally(() => setSigningOut(false));
              }}
            >
              Sign out
            </Button>
          </div>
        </div>
      </header>
      <div className="lg:grid lg:grid-cols-[14rem_minmax(0,1fr)]">
        <nav
          id="console-nav"
          aria-label="Console"
          className={`${menuOpen ? 'block' : 'hidden'} border-b border-slate-200 bg-white lg:block lg:min-h-[calc(100vh-3.25rem)] lg:border-b-0 lg:border-r`}
        >
          <ul className="space-y-0.5 p-3">
            {navItems.map((item) => {
              const current = isCurrent(pathname, item.href);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={current ? 'page' : undefined}
                    className={`block rounded-md px-3 py-2 text-sm ${current ? 'bg-brand-50 font-semibold text-brand-700' : 'text-slate-700 hover:bg-slate-100'}`}
                  >
                    {item.label}
                  </Link>
                </li>
              );
            })}
            <li className="mt-3 border-t border-slate-200 pt-3">
              <a href="/sso" className="block rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100">
                Test sign-in (/sso)
              </a>
            </li>
          </ul>
        </nav>
        <main id="main" tabIndex={-1} className="min-w-0 px-4 py-6 sm:px-6 lg:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
