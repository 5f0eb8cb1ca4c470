import { createHash } from 'node:crypto';
import { base64url, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';

/** One RSA signing key of the emulated token service. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  /** SPKI PEM of the public key: the "secret" of the HS256 key-confusion attack. */
  readonly publicPem: string;
  published: boolean;
}

/**
 * Entra's `kid` (and `x5t`) is the base64url SHA-1 thumbprint of the key's certificate. The
 * emulator has no certificate per key, so it hashes the public key's DER instead: same shape
 * (27 characters), same stability. jose's JWK thumbprint only offers SHA-2, hence node:crypto.
 */
function thumbprint(spkiPem: string): string {
  const der = Buffer.from(spkiPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return base64url.encode(createHash('sha1').update(der).digest());
}

async function createKey(published: boolean): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const publicPem = await exportSPKI(publicKey);
  const kid = thumbprint(publicPem);
  const { n, e, kty } = await exportJWK(publicKey);
  return { kid, privateKey, publicJwk: { kty, n, e }, publicPem, published };
}

/** Thrown for key operations that name a kid the emulator never made, or would leave no key. */
export class KeyRingError extends Error {
  readonly code = 'ERR_DEV_ENTRA_KEY';
}

/**
 * The emulator's signing keys: the published ones (the key sets), the current signing key, and
 * one key that is never published, for "signed by someone else" tokens. Retired keys stay
 * known so that tests can still sign with them on purpose.
 */
export class KeyRing {
  private readonly keys: SigningKey[];
  private currentKidValue: string;

  private constructor(
    current: SigningKey,
    readonly unpublished: SigningKey,
  ) {
    this.keys = [current];
    this.currentKidValue = current.kid;
  }

  static async create(): Promise<KeyRing> {
    const [current, unpublished] = await Promise.all([createKey(true), createKey(false)]);
    return new KeyRing(current, unpublished);
  }

  get currentKid(): string {
    return this.currentKidValue;
  }

  current(): SigningKey {
    const key = this.find(this.currentKidValue);
    if (!key) throw new KeyRingError('no current signing key');
    return key;
  }

  /** Keys served by the key-set endpoints, oldest first, as Entra lists a rollover's new key after the old. */
  published(): readonly SigningKey[] {
    return this.keys.filter((k) => k.published);
  }

  /** Any key the emulator made, published, retired, or the never-published one. */
  find(kid: string): SigningKey | undefined {
    if (kid === this.unpublished.kid) return this.unpublished;
    return this.keys.find((k) => k.kid === kid);
  }

  /** Publishes a new key; by default it is not used for signing yet, as in Entra's rollovers. */
  async add(options: { makeCurrent?: boolean } = {}): Promise<string> {
    const key = await createKey(true);
    this.keys.push(key);
    if (options.makeCurrent) this.currentKidValue = key.kid;
    return key.kid;
  }

  /** Makes a published key the signing key. */
  use(kid: string): void {
    const key = this.keys.find((k) => k.kid === kid && k.published);
    if (!key) throw new KeyRingError(`no published key ${kid}`);
    this.currentKidValue = kid;
  }

  /** Unpublishes a key. Retiring the signing key hands signing to the newest key still published. */
  retire(kid: string): void {
    const key = this.keys.find((k) => k.kid === kid && k.published);
    if (!key) throw new KeyRingError(`no published key ${kid}`);
    const remaining = this.published().filter((k) => k.kid !== kid);
    const successor = remaining[remaining.length - 1];
    if (kid === this.currentKidValue) {
      if (!successor) throw new KeyRingError('cannot retire the only published key; add one first');
      this.currentKidValue = successor.kid;
    }
    key.published = false;
  }
}
