import type { ReactNode } from 'react';

/** The narrow centred column of the console's sign-in, loading and no-access screens. */
export function Centered({ children }: { children: ReactNode }) {
  return <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-4 px-4 py-10">{children}</main>;
}
