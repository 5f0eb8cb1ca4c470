import { describe, expect, it } from 'vitest';
import { diagnoseToken } from '@/server/login/doctor';
import { useValidatorFixture } from '@/test/support/validator-fixture';
import { checkConfiguration } from './check';
import { getSigningMaterial, keyHealth } from './metadata';
import { checkStepSchema, diagnosisSchema, keyHealthSchema } from './schemas';

/**
 * The console's tRPC procedures declare these schemas as their outputs, and tRPC refuses an
 * answer that does not parse: what the Entra module returns must fit them, accepted or refused.
 */
describe('what the Entra module reports fits the output schemas the console declares', () => {
  const f = useValidatorFixture();

  it('"Check configuration": every step, passing and failing', async () => {
    const good = await checkConfiguration(f.settings());
    const bad = await checkConfiguration(f.settings({ openIdConfUrl: `${f.entra.origin}/nowhere/.well-known/openid-configuration` }));
    for (const steps of [good, bad]) expect(checkStepSchema.array().parse(steps)).toEqual(steps);
    expect(good.every((s) => s.ok)).toBe(true);
    expect(bad.some((s) => !s.ok)).toBe(true);
  });

  it('the token doctor: an accepted token, a refused one and something that is no token', async () => {
    const accepted = await diagnoseToken(f.db, f.settings(), await f.entra.mintAccessToken({ user: 'plain' }));
    const refused = await diagnoseToken(f.db, f.settings(), await f.entra.mintAccessToken({ user: 'plain', claims: { aud: 'api://someone-else' } }));
    const garbage = await diagnoseToken(f.db, f.settings(), 'not a token');
    expect([accepted.accepted, refused.accepted, garbage.accepted]).toEqual([true, false, false]);
    for (const d of [accepted, refused, garbage]) expect(diagnosisSchema.parse(d)).toEqual(d);
  });

  it("the key cache's health, after the keys were loaded", async () => {
    const s = f.settings();
    await getSigningMaterial(f.db, s);
    const health = keyHealth(s);
    expect(keyHealthSchema.parse(health)).toEqual(health);
    expect(health.keyIds.length).toBeGreaterThan(0);
  });
});
