import { X509Certificate, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { base64url } from 'jose';
import { DEMO_CLIENT_ID, DEMO_TENANT_ID, OTHER_TENANT_ID } from './ids';
import { newGuid } from './opaque';

/**
 * The ICE Server app's fixed development client secret, in Entra's shape (40 characters, `Q~`
 * after the 3-character hint). It is a published constant: never a secret outside this emulator.
 */
export const DEMO_CLIENT_SECRET = 'Ice8Q~dev-entra.ICE-Server.not-a-secret0';
/** The `keyId` of the fixed secret's password credential. */
export const DEMO_CLIENT_SECRET_ID = '0b6d8f1a-3c5e-4a7b-9d1f-2e4a6c8b0d13';

/** Object IDs of the ICE Server app's service principal per tenant: the `oid` (and `sub`) of its app-only tokens. */
export const SERVICE_PRINCIPAL_IDS: Readonly<Record<string, string>> = {
  [DEMO_TENANT_ID]: '5e7a9c1b-3d5f-4b7a-9c2e-4f6a8b0c2d1e',
  [OTHER_TENANT_ID]: '6f8b0d2c-4e6a-4c8b-8d3f-5a7b9c1d3e2f',
};

/** Microsoft Graph application permissions granted (with admin consent) to the ICE Server app by default. */
export const DEFAULT_APPLICATION_PERMISSIONS: readonly string[] = ['GroupMember.Read.All', 'User.Read.All'];

/** Entra's client-credentials tokens say `expires_in: 3599`. */
export const APP_TOKEN_LIFETIME_S = 3599;

/** A password credential: Graph's `passwordCredential`, with the value the emulator compares against. */
export interface PasswordCredential {
  readonly keyId: string;
  readonly hint: string;
  readonly secretText: string;
  readonly startDateTime: string;
  readonly endDateTime: string;
}

/** A certificate credential (Graph's `keyCredential`): the public key and its thumbprints. */
export interface CertificateCredential {
  readonly keyId: string;
  /** base64url SHA-1 of the DER certificate: the legacy `x5t` header. */
  readonly x5t: string;
  /** base64url SHA-256 of the DER certificate: the `x5t#S256` header Microsoft now recommends. */
  readonly x5tS256: string;
  /** Hex SHA-1, as the portal shows it ("Thumbprint"). */
  readonly thumbprint: string;
  readonly publicKey: KeyObject;
  readonly endDateTime: string;
  /** Where the emulator wrote the PEM files, when it generated the certificate. */
  readonly certFile?: string;
  readonly keyFile?: string;
}

/** What an app registration and its service principal hold for the client-credentials grant. */
export interface AppGrantSettings {
  secrets: PasswordCredential[];
  certificates: CertificateCredential[];
  /** Application permissions on Microsoft Graph with admin consent: the `roles` of app-only tokens. */
  applicationPermissions: string[];
  /** `accountEnabled` of the service principal: disabled apps get `unauthorized_client`. */
  enabled: boolean;
  accessTokenLifetimeSeconds: number;
}

export class AppRegistryError extends Error {
  readonly code = 'ERR_DEV_ENTRA_APP';
}

const YEAR_MS = 365 * 24 * 3600_000;

/** A password credential whose value is `secretText`, or a fresh random one in Entra's format. */
export function passwordCredential(options: { secretText?: string; keyId?: string; expiresInSeconds?: number } = {}): PasswordCredential {
  const secretText = options.secretText ?? `${base64url.encode(randomBytes(2)).slice(0, 3)}8Q~${base64url.encode(randomBytes(27)).slice(0, 34)}`;
  const now = Date.now();
  return {
    keyId: options.keyId ?? newGuid(),
    hint: secretText.slice(0, 3),
    secretText,
    startDateTime: new Date(now).toISOString(),
    endDateTime: new Date(now + (options.expiresInSeconds ?? 2 * 365 * 24 * 3600) * 1000).toISOString(),
  };
}

/** A certificate credential from a PEM certificate (the public part is all Entra ever holds). */
export function certificateCredential(certPem: string, files: { certFile?: string; keyFile?: string } = {}): CertificateCredential {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certPem);
  } catch {
    throw new AppRegistryError('certificatePem is not a PEM X.509 certificate');
  }
  if (x509.publicKey.asymmetricKeyType !== 'rsa' && x509.publicKey.asymmetricKeyType !== 'rsa-pss') {
    throw new AppRegistryError('the certificate must hold an RSA key (assertions are RS256 or PS256)');
  }
  const sha1 = createHash('sha1').update(x509.raw).digest();
  return {
    keyId: newGuid(),
    x5t: base64url.encode(sha1),
    x5tS256: base64url.encode(createHash('sha256').update(x509.raw).digest()),
    thumbprint: sha1.toString('hex').toUpperCase(),
    publicKey: x509.publicKey,
    endDateTime: new Date(Date.parse(x509.validTo)).toISOString(),
    ...files,
  };
}

/** Compares a presented secret with a stored one in constant time. */
export function secretMatches(presented: string, stored: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(stored).digest();
  return timingSafeEqual(a, b);
}

function defaults(clientId: string, certificate: CertificateCredential | undefined): AppGrantSettings {
  const confidential = clientId === DEMO_CLIENT_ID;
  return {
    secrets: confidential ? [passwordCredential({ secretText: DEMO_CLIENT_SECRET, keyId: DEMO_CLIENT_SECRET_ID, expiresInSeconds: YEAR_MS / 1000 })] : [],
    certificates: confidential && certificate ? [certificate] : [],
    applicationPermissions: confidential ? [...DEFAULT_APPLICATION_PERMISSIONS] : [],
    enabled: true,
    accessTokenLifetimeSeconds: APP_TOKEN_LIFETIME_S,
  };
}

/**
 * Client credentials and Graph permissions per app registration. Only the ICE Server app is a
 * confidential client; ICE Mobile is public and can hold no credential.
 */
export class AppRegistry {
  private readonly apps = new Map<string, AppGrantSettings>();
  /** The certificate the emulator generated at start, restored by `reset`. */
  defaultCertificate: CertificateCredential | undefined;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.apps.clear();
  }

  /** The settings of `clientId` (a registered app's, lower case). */
  settings(clientId: string): AppGrantSettings {
    let settings = this.apps.get(clientId);
    if (!settings) {
      settings = defaults(clientId, this.defaultCertificate);
      this.apps.set(clientId, settings);
    }
    return settings;
  }

  /** Whether the app may hold credentials at all (public clients may not). */
  isConfidential(clientId: string): boolean {
    return clientId === DEMO_CLIENT_ID;
  }

  /** The service principal's object ID in `tenantId`. */
  servicePrincipalId(tenantId: string): string {
    const id = SERVICE_PRINCIPAL_IDS[tenantId];
    if (!id) throw new AppRegistryError(`no service principal in tenant ${tenantId}`);
    return id;
  }
}
