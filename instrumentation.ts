/**
 * Next.js calls this once per server process. Under `npm start` the custom server has
 * already booted the background work (the call is a no-op); under plain `next start` this
 * is what starts it.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { bootBackground } = await import('./server/boot');
  bootBackground();
}
