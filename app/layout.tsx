import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { AppProviders } from '@/components/providers/app-providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'ICE SSO', template: '%s · ICE SSO' },
  description: 'Entra ID single sign-on for the ICE Server',
};

/**
 * Every page renders per request: proxy.ts gives each response a fresh CSP nonce, which Next
 * puts on its own scripts while rendering (a page prerendered at build could carry none).
 * Reading the request headers here is what makes the pages dynamic.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await headers();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <AppProviders>{children}</AppProviders>
      </body>
    </html>
  );
}
