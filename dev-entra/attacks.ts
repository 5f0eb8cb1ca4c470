import { CompactSign, base64url } from 'jose';
import type { KeyRing } from './keys';

export type RawAlg = 'none' | 'HS256-with-public-key' | 'RS256';

const encoder = new TextEncoder();

function segment(value: unknown): string {
  return base64url.encode(encoder.encode(JSON.stringify(value)));
}

/**
 * Tokens a validator must refuse, with exactly the header and payload given:
 * - `none`: an unsecured JWT (`alg: none`, empty signature), assembled by hand since no
 *   library should help make one;
 * - `HS256-with-public-key`: HMAC-SHA256 keyed with the current key's SPKI PEM, the classic
 *   RS256→HS256 key-confusion attack;
 * - `RS256`: a real signature by the current key over an arbitrary header and payload
 *   (odd claim types, a `crit` naming anything, `b64`...). `kid` defaults to the current
 *   key's. Assembled by hand with WebCrypto, because jose rightly refuses such headers.
 */
export async function signRaw(ring: KeyRing, header: Record<string, unknown>, payload: Record<string, unknown>, alg: RawAlg): Promise<string> {
  const key = ring.current();
  if (alg === 'none') {
    return `${segment({ typ: 'JWT', ...header, alg: 'none' })}.${segment(payload)}.`;
  }
  const body = encoder.encode(JSON.stringify(payload));
  if (alg === 'HS256-with-public-key') {
    return new CompactSign(body).setProtectedHeader({ typ: 'JWT', kid: key.kid, ...header, alg: 'HS256' }).sign(encoder.encode(key.publicPem));
  }
  const signingInput = `${segment({ typ: 'JWT', kid: key.kid, ...header, alg: 'RS256' })}.${base64url.encode(body)}`;
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key.privateKey, encoder.encode(signingInput));
  return `${signingInput}.${base64url.encode(new Uint8Array(signature))}`;
}
