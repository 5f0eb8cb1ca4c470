/**
 * `npx tsx dev-entra/main.ts [--port 8443] [--host 127.0.0.1] [--https|--http]
 *   [--cert-dir DIR] [--token-version 1|2]`
 *
 * Runs the Entra ID emulator until SIGINT/SIGTERM. The first line of output is
 * `dev-entra ready {json}` (scripts wait for it); instructions for humans follow.
 * Development only: the production server never starts it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startEntraEmulator } from './server';
import { DEMO_USER_LIST } from './users';

const ArgsSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(8443),
    host: z.string().min(1).default('127.0.0.1'),
    https: z.boolean().optional(),
    http: z.boolean().optional(),
    'cert-dir': z.string().min(1).default(path.join('data', 'dev-entra')),
    'token-version': z.enum(['1', '2']).default('1'),
  })
  .strict();

function parseCli(): z.output<typeof ArgsSchema> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      https: { type: 'boolean' },
      http: { type: 'boolean' },
      'cert-dir': { type: 'string' },
      'token-version': { type: 'string' },
    },
    strict: true,
  });
  return ArgsSchema.parse(values);
}

async function main(): Promise<void> {
  const args = parseCli();
  const entra = await startEntraEmulator({
    https: !args.http,
    host: args.host,
    port: args.port,
    certDir: path.resolve(args['cert-dir']),
    apiTokenVersion: args['token-version'] === '2' ? 2 : 1,
  });
  const ready = {
    origin: entra.origin,
    tenantId: entra.tenantId,
    clientId: entra.clientId,
    certFile: entra.certFile ?? null,
    graphHost: entra.graphHost,
    graphClientSecret: entra.clientSecret,
    graphCertificateFile: entra.appCertificate?.certFile ?? null,
    graphPrivateKeyFile: entra.appCertificate?.keyFile ?? null,
    graphCertificateThumbprint: entra.appCertificate?.x5tS256 ?? null,
  };
  console.log(`dev-entra ready ${JSON.stringify(ready)}`);
  console.log(`
Local Entra ID emulator (not a Microsoft service) at ${entra.origin}
  discovery  ${entra.origin}/${entra.tenantId}/v2.0/.well-known/openid-configuration
  control    ${entra.origin}/_dev/ (loopback only; see dev-entra/README.md)

Point ice-sso at it:
  npx ice-sso settings set cloud=custom authorityHost=${entra.origin} tenantId=${entra.tenantId} clientId=${entra.clientId} enabled=true
  and, for Microsoft Graph: graphHost=${entra.graphHost} graphClientSecret=${entra.clientSecret}
  (or the certificate ${entra.appCertificate?.certFile ?? '-'} with its key ${entra.appCertificate?.keyFile ?? '-'})
${entra.certFile ? `Start ice-sso trusting the emulator's certificate:\n  NODE_EXTRA_CA_CERTS=${entra.certFile} npm start\n` : ''}
Demo users (any of them signs in with one click on the emulator's sign-in page):
${DEMO_USER_LIST.map((u) => `  ${u.key.padEnd(9)} ${(u.home?.upn ?? u.upn).padEnd(24)} ${u.description}`).join('\n')}

Press Ctrl+C to stop.`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    entra.stop().then(
      () => {
        console.log(`dev-entra stopped (${signal})`);
        process.exit(0);
      },
      (e: unknown) => {
        console.error('dev-entra: stop failed', e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  const message = e instanceof z.ZodError ? z.prettifyError(e) : e instanceof Error ? e.message : String(e);
  console.error(`dev-entra: ${message}`);
  process.exit(1);
});
