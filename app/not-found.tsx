import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

/** Any unknown path: say so, and offer the ways back (the stock 404 page has none). */
export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-4 px-4 py-10">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <p className="text-sm font-medium text-brand-700">ICE SSO · 404</p>
        <h1 className="mt-1 text-2xl font-semibold">Page not found</h1>
        <p className="mt-3 text-sm text-slate-700">There is no page at this address. It may have been mistyped, or the link may be out of date.</p>
        <ul className="mt-5 space-y-2 text-sm">
          <li>
            <Link className="font-medium text-brand-700 underline" href="/">
              Go to the console overview
            </Link>
          </li>
          <li>
            <Link className="text-brand-700 underline" href="/logins">
              Login history
            </Link>{' '}
            ·{' '}
            <Link className="text-brand-700 underline" href="/changes">
              Change log
            </Link>
          </li>
          <li>
            <a className="text-brand-700 underline" href="/sso">
              Sign in to the ICE Server (/sso)
            </a>
          </li>
        </ul>
      </div>
    </main>
  );
}
