import type { ReactNode } from 'react';
import { ConsoleRoot } from '@/components/console/console-root';

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return <ConsoleRoot>{children}</ConsoleRoot>;
}
