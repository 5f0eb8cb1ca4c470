import { createHash } from 'node:crypto';

export interface DemoGroup {
  readonly id: string;
  readonly displayName: string;
}

/** Object IDs of the named security groups, fixed so that group rules in tests and docs can name them. */
export const GROUP_IDS = {
  dispatch: 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  fieldOps: '2a6c8e0b-4d1f-4b3a-9e5c-7d8f0a1b2c3e',
  supervisors: '9c0e2a4b-6d8f-4a1c-8b3d-5e7f9a0b1c2d',
} as const;

const NAMED_GROUPS: readonly DemoGroup[] = [
  { id: GROUP_IDS.dispatch, displayName: 'Dispatch' },
  { id: GROUP_IDS.fieldOps, displayName: 'Field Ops' },
  { id: GROUP_IDS.supervisors, displayName: 'Supervisors' },
];

/** How many generated project groups the overage user belongs to (plus Dispatch: over the 200 limit). */
export const PROJECT_GROUP_COUNT = 240;

/** A stable GUID per generated group, so overage tests see the same IDs on every run. */
function projectGroupId(index: number): string {
  const hex = createHash('sha1').update(`dev-entra project group ${index}`).digest('hex');
  // Shape it as an RFC 4122 version 5 GUID, like the object IDs Entra hands out.
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const PROJECT_GROUPS: readonly DemoGroup[] = Array.from({ length: PROJECT_GROUP_COUNT }, (_, i) => ({
  id: projectGroupId(i + 1),
  displayName: `Project team ${String(i + 1).padStart(3, '0')}`,
}));

export const DEMO_GROUPS: readonly DemoGroup[] = [...NAMED_GROUPS, ...PROJECT_GROUPS];

export function groupById(id: string): DemoGroup | undefined {
  return DEMO_GROUPS.find((g) => g.id === id);
}
