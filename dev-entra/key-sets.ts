import type { JWK } from 'jose';
import { TENANT_PLACEHOLDER, issuerV2 } from './issuers';
import type { KeyRing } from './keys';

export interface KeySet {
  keys: JWK[];
}

/**
 * The JWKS documents. As in Entra, every v2 key carries the issuer template
 * `<authority>/{tenantid}/v2.0` (validators substitute the token's `tid`), and the v1 key set
 * (`/common/discovery/keys`) carries no issuer. `x5t` equals `kid`.
 * Entra also sends `x5c` (a self-signed certificate per key); the emulator does not.
 */
export function keySet(ring: KeyRing, flavour: 'v1' | 'v2', origin: string): KeySet {
  return {
    keys: ring.published().map((key) => ({
      kty: key.publicJwk.kty,
      use: 'sig',
      kid: key.kid,
      x5t: key.kid,
      n: key.publicJwk.n,
      e: key.publicJwk.e,
      ...(flavour === 'v2' ? { issuer: issuerV2(origin, TENANT_PLACEHOLDER) } : {}),
    })),
  };
}
