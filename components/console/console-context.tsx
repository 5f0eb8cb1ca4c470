'use client';
import type { IPublicClientApplication } from '@azure/msal-browser';
import { createContext, useContext } from 'react';
import type { EntraClientConfig } from '@/lib/msal';
import type { RouterOutputs } from '@/lib/trpc';

export type ConsoleActor = NonNullable<RouterOutputs['auth']['me']['actor']>;

export interface ConsoleSession {
  actor: ConsoleActor;
  /** Admins change things; auditors read everything. Controls for changes are not rendered for auditors. */
  isAdmin: boolean;
  entra: EntraClientConfig | null;
  msal: IPublicClientApplication | null;
  signOut: () => Promise<void>;
}

const ConsoleContext = createContext<ConsoleSession | null>(null);

export const ConsoleSessionProvider = ConsoleContext.Provider;

/** The signed-in console user; only rendered inside the console shell. */
export function useConsoleSession(): ConsoleSession {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsoleSession outside the console shell');
  return value;
}

/** Renders its children for admins only: auditors never see the control. */
export function AdminOnly({ children }: { children: React.ReactNode }) {
  const { isAdmin } = useConsoleSession();
  return isAdmin ? <>{children}</> : null;
}

export function roleLabel(roles: readonly string[]): string {
  if (roles.includes('admin')) return 'Admin';
  if (roles.includes('auditor')) return 'Auditor';
  return 'No role';
}
