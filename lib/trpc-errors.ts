import { TRPCClientError } from '@trpc/client';

export interface FieldIssue {
  field: string;
  message: string;
  /** A sentence for people, when the server gives one (settings issues do). */
  text?: string;
}

/** The `{field, message}` issues the server's errorFormatter attaches to settings errors. */
export function issuesOf(error: unknown): FieldIssue[] {
  if (!(error instanceof TRPCClientError)) return [];
  const issues = (error.data as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) ? (issues as FieldIssue[]) : [];
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}
