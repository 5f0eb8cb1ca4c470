import { Badge } from '@/components/ui/badge';

/** How the groups of a sign-in were decided (`groupsSource` of users and login events). */
export type GroupsSource = 'token' | 'graph' | 'unresolved';

const words: Record<GroupsSource, { label: string; tone: 'good' | 'brand' | 'bad'; explanation: string }> = {
  token: {
    label: 'From the token',
    tone: 'good',
    explanation: 'The token listed the groups itself (200 groups or fewer).',
  },
  graph: {
    label: 'Microsoft Graph',
    tone: 'brand',
    explanation:
      'Groups overage: the user is in more than 200 groups, so the token listed none. ice-sso read the memberships from Microsoft Graph with its own app credential, and they count like token groups.',
  },
  unresolved: {
    label: 'Overage unresolved',
    tone: 'bad',
    explanation:
      'Groups overage: the user is in more than 200 groups, so the token listed none, and Microsoft Graph did not supply them (no credential or Graph host set, a permission missing, Graph unreachable; or neither group import nor required groups needed them). Memberships from earlier sign-ins grant no console role and never satisfy required groups; where groups matter, the sign-in is refused with groups_unresolved until Graph answers.',
  },
};

export function groupsSourceLabel(source: GroupsSource | null): string {
  return source ? words[source].label : 'Not recorded';
}

/** The source as a badge and one sentence in words; `none` says what null means where it is shown. */
export function GroupsSourceNote({ source, none }: { source: GroupsSource | null; none: string }) {
  if (!source) return <span className="text-slate-700">{none}</span>;
  const w = words[source];
  return (
    <span className="block space-y-1">
      <Badge tone={w.tone}>{w.label}</Badge>
      <span className="block break-normal text-slate-700">{w.explanation}</span>
    </span>
  );
}
