/**
 * Next.js calls this once per server process. Under `npm start` the custom server has
 * already booted the background work and stamps client addresses itself (both calls are
 * no-ops); under plain `next start` this is what starts them.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installClientAddressHook } = await import('./server/http/client-address');
  installClientAddressHook();
  const { bootBackground } = await import('./server/boot');
  bootBackground();
}
