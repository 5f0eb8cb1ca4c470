import { describe, expect, it } from 'vitest';
import { patchIssues, settingsDocumentSchema } from './schema';

const defaults = settingsDocumentSchema.parse({});

describe('patchIssues', () => {
  it('places an entry of a group list on the list field and quotes the entry', () => {
    const issues = patchIssues(defaults, { requiredGroupIds: ['Dispatch'] });
    expect(issues).toEqual([
      {
        field: 'requiredGroupIds',
        message: 'entry 1 ("Dispatch") must be a GUID like 8eaef023-2b34-4da1-9baa-8bc8c9d6a490',
        text: expect.stringMatching(/^Required groups: “Dispatch” \(line 1\) is not a group object ID/),
      },
    ]);
  });

  it('reports field errors and the rules across fields at once', () => {
    const issues = patchIssues(defaults, {
      enabled: true,
      cloud: 'custom',
      authorityHost: 'http://login.example.com',
      allowedClientIds: ['mobile app'],
      clockSkewSeconds: 5000,
    });
    const byField = Object.fromEntries(issues.map((i) => [i.field, i.text]));
    expect(Object.keys(byField).sort()).toEqual(['allowedClientIds', 'authorityHost', 'clientId', 'clockSkewSeconds', 'tenantId']);
    expect(byField.tenantId).toBe('Tenant ID is required to enable sign-in.');
    expect(byField.clientId).toBe('Client ID is required to enable sign-in.');
    expect(byField.authorityHost).toMatch(/^Authority host must use https:\/\//);
    expect(byField.clockSkewSeconds).toBe('Clock skew (s) must be between 0 and 900.');
    expect(byField.allowedClientIds).toMatch(/^Allowed client apps: “mobile app” \(line 1\) is not an application \(client\) ID/);
  });

  it('gives a field with its own error no second one from the rules across fields', () => {
    const issues = patchIssues(defaults, { enabled: true, tenantId: 'contoso', clientId: '6731de76-14a6-49ae-97bc-6eba6914391e' });
    expect(issues.map((i) => [i.field, i.message])).toEqual([['tenantId', 'must be a GUID like 8eaef023-2b34-4da1-9baa-8bc8c9d6a490']]);
  });

  it('names unknown keys and finds nothing wrong in a valid patch', () => {
    expect(patchIssues(defaults, { tenantld: 'x' })).toEqual([expect.objectContaining({ field: 'tenantld', text: '“tenantld” is not a setting.' })]);
    expect(patchIssues(defaults, { domainHint: 'contoso.com', requiredGroupIds: ['F3B1C2D4-5E6F-4A7B-8C9D-0E1F2A3B4C5D'] })).toEqual([]);
  });
});
