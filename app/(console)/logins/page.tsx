import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoginsPage } from '@/components/audit/logins-page';

export const metadata: Metadata = { title: 'Login history' };

export default function Page() {
  return (
    <Suspense>
      <LoginsPage />
    </Suspense>
  );
}
