import type { Metadata } from 'next';
import { SsoSignIn } from '@/components/sso/sso-sign-in';

export const metadata: Metadata = { title: 'Sign in' };

export default function SsoPage() {
  return <SsoSignIn />;
}
