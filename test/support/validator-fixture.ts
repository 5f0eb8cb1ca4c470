import { afterAll, beforeAll } from 'vitest';
import { decodeJwt } from 'jose';
import { startEntraEmulator, type EntraEmulator, type EntraEmulatorOptions, type MintOptions } from '@/dev-entra';
import { openDb, type Db } from '@/db/client';
import { LoginRefusedError } from '@/server/entra/errors';
import { validateAccessToken, type ValidatedToken } from '@/server/entra/validate';
import { resolveSettings, type EffectiveSettings } from '@/server/settings/derive';
import { settingsDocumentSchema, type SettingsDocumentInput } from '@/server/settings/schema';
import { updateSettings } from '@/server/settings/service';
import { freshProcessState } from './process-state';
import { tempDbFile } from './tmp';

export interface ValidatorFixture {
  entra: EntraEmulator;
  db: Db;
  /** Effective settings for the emulator's tenant and app, with `patch` on top. */
  settings(patch?: Partial<SettingsDocumentInput>): EffectiveSettings;
  /** Runs the validator in this process: 'accepted', or the reason code it refused with. */
  verdict(token: string, patch?: Partial<SettingsDocumentInput>, now?: number): Promise<string>;
  /** The refusal (reason and detail), failing the test if the token was accepted. */
  refusal(token: string, patch?: Partial<SettingsDocumentInput>, now?: number): Promise<LoginRefusedError>;
  /** Validates, failing the test with the reason if the token was refused. */
  accept(token: string, patch?: Partial<SettingsDocumentInput>, now?: number): Promise<ValidatedToken>;
  /** The claims an emulator token would carry, for re-signing with another key or algorithm. */
  claimsOf(options?: MintOptions): Promise<Record<string, unknown>>;
}

/**
 * A real emulator on loopback and a fresh SQLite file, for calling the validator in-process
 * (so that mutation testing sees every line it runs). Each call of this function has its own
 * emulator, hence its own origin and its own key cache and unknown-kid cooldown.
 */
export function useValidatorFixture(opts: { entra?: EntraEmulatorOptions; settings?: Partial<SettingsDocumentInput> } = {}): ValidatorFixture {
  const file = tempDbFile();
  const f = {} as ValidatorFixture;
  beforeAll(async () => {
    freshProcessState();
    const entra = await startEntraEmulator(opts.entra);
    const db = openDb(file);
    const settings = (patch: Partial<SettingsDocumentInput> = {}) =>
      resolveSettings(
        settingsDocumentSchema.parse({
          cloud: 'custom',
          authorityHost: entra.authorityHost,
          tenantId: entra.tenantId,
          clientId: entra.clientId,
          enabled: true,
          ...opts.settings,
          ...patch,
        }),
      );
    const run = async (token: string, patch?: Partial<SettingsDocumentInput>, now?: number) => {
      try {
        return await validateAccessToken(db, settings(patch), token, now);
      } catch (err) {
        if (err instanceof LoginRefusedError) return err;
        throw err;
      }
    };
    Object.assign(f, {
      entra,
      db,
      settings,
      verdict: async (token: string, patch?: Partial<SettingsDocumentInput>, now?: number) => {
        const r = await run(token, patch, now);
        return r instanceof LoginRefusedError ? r.reason : 'accepted';
      },
      refusal: async (token: string, patch?: Partial<SettingsDocumentInput>, now?: number) => {
        const r = await run(token, patch, now);
        if (!(r instanceof LoginRefusedError)) throw new Error('the validator accepted the token');
        return r;
      },
      accept: async (token: string, patch?: Partial<SettingsDocumentInput>, now?: number) => {
        const r = await run(token, patch, now);
        if (r instanceof LoginRefusedError) throw new Error(`the validator refused the token: ${r.reason} (${r.detail ?? ''})`);
        return r;
      },
      claimsOf: async (options?: MintOptions) => decodeJwt(await entra.mintAccessToken(options)) as Record<string, unknown>,
    } satisfies Partial<ValidatorFixture>);
  });
  afterAll(async () => {
    await f.entra?.stop();
    f.db?.$client.close();
  });
  return f;
}

/**
 * Saves the settings the in-process login tests sign in under (loginWithToken reads them from
 * the database): the emulator's tenant and app, replay protection and group import on, no
 * required group, a refused-login limit no test reaches by accident; `patch` on top.
 */
export function saveLoginSettings(f: ValidatorFixture, patch: Record<string, unknown> = {}) {
  return updateSettings(
    f.db,
    {
      cloud: 'custom',
      authorityHost: f.entra.authorityHost,
      tenantId: f.entra.tenantId,
      clientId: f.entra.clientId,
      enabled: true,
      replayProtection: true,
      requiredGroupIds: [],
      importUserGroups: true,
      loginRateLimitPerMinute: 300,
      ...patch,
    },
    { kind: 'cli', name: 'test' },
  );
}
