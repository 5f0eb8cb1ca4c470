import 'server-only';
import { z } from 'zod';
import type { checkStepSchema } from './schemas';
import type { EffectiveSettings } from '@/server/settings/derive';
import { fetchJson } from './fetch-json';

/** One step of "Check configuration" (see {@link checkStepSchema}). */
export type CheckStep = z.infer<typeof checkStepSchema>;

const discovery = z.looseObject({
  issuer: z.string(),
  jwks_uri: z.string(),
  authorization_endpoint: z.string().optional(),
  token_endpoint: z.string().optional(),
});
const keySet = z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional(), use: z.string().optional() })) });

/**
 * "Check configuration": fetches the tenant's discovery documents and keys for the given
 * (possibly unsaved) settings and reports each step in plain words. Touches no cache.
 */
export async function checkConfiguration(s: EffectiveSettings): Promise<CheckStep[]> {
  const steps: CheckStep[] = [];
  if (!s.complete) {
    return [
      {
        id: 'discovery',
        label: 'Discovery document reachable',
        ok: false,
        detail: 'Enter the tenant ID and client ID (and the authority host for a custom cloud) first.',
      },
    ];
  }
  let doc: z.infer<typeof discovery>;
  try {
    const raw = await fetchJson(s.openIdConfUrl);
    const parsed = discovery.safeParse(raw);
    if (!parsed.success) throw new Error('the answer is not an OpenID configuration document');
    doc = parsed.data;
    steps.push({ id: 'discovery', label: 'Discovery document reachable', ok: true, detail: `Fetched ${s.openIdConfUrl}.` });
  } catch (err) {
    steps.push({
      id: 'discovery',
      label: 'Discovery document reachable',
      ok: false,
      detail: `${(err as Error).message}. Check the tenant ID, the cloud and the authority host; this server must reach it over HTTPS.`,
    });
    return steps;
  }
  const issuer = doc.issuer.replace('{tenantid}', s.tenantId);
  const issuerOk = issuer.includes(s.tenantId) && sameHost(issuer, s.authorityHost);
  steps.push({
    id: 'issuer',
    label: 'Issuer matches the tenant',
    ok: issuerOk,
    detail: issuerOk
      ? `Issuer ${issuer}.`
      : `Issuer ${issuer} does not name tenant ${s.tenantId} on ${s.authorityHost}. The tenant ID may belong to another cloud, or the document is not this tenant's.`,
  });
  const mismatched = [
    doc.authorization_endpoint && doc.authorization_endpoint !== s.authorizationUrl
      ? `authorization endpoint is ${doc.authorization_endpoint} (settings: ${s.authorizationUrl})`
      : null,
    doc.token_endpoint && doc.token_endpoint !== s.tokenUrl ? `token endpoint is ${doc.token_endpoint} (settings: ${s.tokenUrl})` : null,
  ].filter(Boolean);
  steps.push({
    id: 'endpoints',
    label: 'Endpoints match the settings',
    ok: mismatched.length === 0,
    detail:
      mismatched.length === 0
        ? 'The authorization and token URLs are the ones Entra publishes.'
        : `The tenant's ${mismatched.join('; ')}. Clients would be sent elsewhere: check the overrides.`,
  });
  try {
    const parsed = keySet.safeParse(await fetchJson(doc.jwks_uri));
    if (!parsed.success) throw new Error('the answer is not a JSON Web Key Set');
    const usable = parsed.data.keys.filter((k) => k.kty === 'RSA' && k.kid && (!k.use || k.use === 'sig'));
    steps.push({
      id: 'keys',
      label: 'Signing keys present',
      ok: usable.length > 0,
      detail: usable.length > 0 ? `${usable.length} RSA signing key(s) at ${doc.jwks_uri}.` : `No RSA signing key at ${doc.jwks_uri}.`,
    });
  } catch (err) {
    steps.push({ id: 'keys', label: 'Signing keys present', ok: false, detail: `${(err as Error).message}.` });
  }
  try {
    const v1 = discovery.safeParse(await fetchJson(s.v1OpenIdConfUrl));
    const ok = v1.success && v1.data.issuer.includes(s.tenantId);
    steps.push({
      id: 'v1',
      label: 'v1 issuer (for v1 tokens)',
      ok,
      detail: ok ? `v1 issuer ${v1.data!.issuer}.` : 'The v1 discovery document does not name the tenant: v1 tokens would be refused.',
    });
  } catch (err) {
    steps.push({
      id: 'v1',
      label: 'v1 issuer (for v1 tokens)',
      ok: false,
      detail: `${(err as Error).message}. v1 tokens would be refused; v2 tokens still work.`,
    });
  }
  return steps;
}

function sameHost(a: string, b: string): boolean {
  try {
    return new URL(a).host === new URL(b).host;
  } catch {
    return false;
  }
}
