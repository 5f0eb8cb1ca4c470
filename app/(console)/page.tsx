export const dynamic = 'force-dynamic';

export default function OverviewPage() {
  return (
    <main className="mx-auto max-w-5xl p-8">
      <h1 className="text-2xl font-semibold">ICE SSO console</h1>
      <p className="mt-2 text-slate-600">Entra ID single sign-on for the ICE Server.</p>
    </main>
  );
}
