import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Integration tests start real servers from the production build; build it once, if stale. */
export default function setup(): void {
  if (process.env.ICE_SSO_SKIP_BUILD === '1') return;
  const root = path.resolve(__dirname, '..');
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-if-needed.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('next build failed');
}
