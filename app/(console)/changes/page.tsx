import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ChangesPage } from '@/components/audit/changes-page';

export const metadata: Metadata = { title: 'Change log' };

export default function Page() {
  return (
    <Suspense>
      <ChangesPage />
    </Suspense>
  );
}
