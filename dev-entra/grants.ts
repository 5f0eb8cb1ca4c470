import { newCode, newRefreshToken } from './opaque';

/** Who signed in, to which app, in which tenant: what codes and refresh tokens stand for. */
export interface SignInGrant {
  readonly userKey: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly scope: string;
  /** Issued through an SPA redirect URI: redeemable only cross-origin, refresh tokens live 24 h. */
  readonly spa: boolean;
}

export interface AuthCodeGrant extends SignInGrant {
  readonly redirectUri: string;
  readonly codeChallenge?: string;
  readonly nonce?: string;
  readonly expiresAt: number;
  redeemed: boolean;
}

export interface RefreshGrant extends SignInGrant {
  readonly expiresAt: number;
  /** When the sign-in behind it happened; a later `signInSessionsValidFromDateTime` revokes it. */
  readonly issuedAt: number;
}

export type CodeLookup =
  { readonly status: 'ok'; readonly grant: AuthCodeGrant } | { readonly status: 'unknown' } | { readonly status: 'redeemed' } | { readonly status: 'expired' };

/** Entra's authorization codes live for about 5 minutes. */
export const CODE_LIFETIME_MS = 5 * 60_000;
/** Refresh tokens redeemed cross-origin (SPA) live 24 hours, others 90 days. */
export const SPA_REFRESH_LIFETIME_S = 24 * 3600;
export const NATIVE_REFRESH_LIFETIME_S = 90 * 24 * 3600;

/** Authorization codes and refresh tokens of one emulator, in memory. */
export class GrantStore {
  private readonly codes = new Map<string, AuthCodeGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  issueCode(grant: Omit<AuthCodeGrant, 'expiresAt' | 'redeemed'>, now = Date.now()): string {
    // Redeemed codes are kept until they expire, so that reuse is told apart from garbage.
    for (const [code, g] of this.codes) if (g.expiresAt < now) this.codes.delete(code);
    const code = newCode();
    this.codes.set(code, { ...grant, expiresAt: now + CODE_LIFETIME_MS, redeemed: false });
    return code;
  }

  /** Looks a code up and burns it: codes are single-use, failed redemptions included. */
  redeemCode(code: string, now = Date.now()): CodeLookup {
    const grant = this.codes.get(code);
    if (!grant) return { status: 'unknown' };
    if (grant.redeemed) return { status: 'redeemed' };
    grant.redeemed = true;
    if (grant.expiresAt < now) return { status: 'expired' };
    return { status: 'ok', grant };
  }

  issueRefreshToken(grant: SignInGrant & { issuedAt?: number }, lifetimeSeconds: number, now = Date.now()): string {
    const token = newRefreshToken();
    this.refreshTokens.set(token, { ...grant, issuedAt: grant.issuedAt ?? now, expiresAt: now + lifetimeSeconds * 1000 });
    return token;
  }

  findRefreshToken(token: string): RefreshGrant | undefined {
    return this.refreshTokens.get(token);
  }
}
