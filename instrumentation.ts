/**
 * Next.js calls this once per server process. Under `npm start` the custom server has
 * already booted the background work and guards every request itself (both calls are
 * no-ops); under plain `next start` this is what starts them.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installNextStartGuard } = await import('./server/http/request-guard');
  installNextStartGuard();
  const { bootBackground } = await import('./server/boot');
  bootBackground();
}
