import type { Metadata } from 'next';
import { UserPage } from '@/components/users/user-page';

export const metadata: Metadata = { title: 'User' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <UserPage id={decodeURIComponent(id)} />;
}
