import 'server-only';
import type { Db } from '@/db/client';
import { loginReasonLabel } from '@/server/audit/reasons';
import { signInMethodLabel } from '@/server/audit/sign-in-methods';
import { statement } from './sql';

/** A sign-in attempt from the login history, as the overview and a user's page show it. */
export interface SignInItem {
  id: number;
  /** Epoch milliseconds. */
  ts: number;
  outcome: 'accepted' | 'refused';
  /** Reason code of DESIGN.md; null when accepted. */
  reason: string | null;
  /** The reason in words ("Accepted" when accepted). */
  reasonLabel: string;
  status: number;
  userId: string | null;
  username: string | null;
  displayName: string | null;
  clientAppId: string | null;
  tokenVersion: string | null;
  /** Primary `amr` method (`wia`, `pwd`, `mfa`, ...); null when the token reported none. */
  signInMethod: string | null;
  signInMethodLabel: string;
  ip: string | null;
  userAgent: string | null;
}

const COLUMNS =
  'id, ts, outcome, reason, status, user_id AS userId, username, display_name AS displayName, client_app_id AS clientAppId, ' +
  'token_version AS tokenVersion, sign_in_method AS signInMethod, ip, user_agent AS userAgent';

type Row = Omit<SignInItem, 'reasonLabel' | 'signInMethodLabel'>;

const toItem = (r: Row): SignInItem => ({ ...r, reasonLabel: loginReasonLabel(r.reason), signInMethodLabel: signInMethodLabel(r.signInMethod) });

/** The latest sign-in attempts, newest first; of one user when `userId` is given. */
export function recentSignIns(db: Db, options: { userId?: string; limit: number }): SignInItem[] {
  const rows =
    options.userId === undefined
      ? statement(db, `SELECT ${COLUMNS} FROM login_events INDEXED BY login_events_ts_idx ORDER BY ts DESC, id DESC LIMIT ?`).all(options.limit)
      : statement(db, `SELECT ${COLUMNS} FROM login_events INDEXED BY login_events_user_ts_idx WHERE user_id = ? ORDER BY ts DESC, id DESC LIMIT ?`).all(
          options.userId,
          options.limit,
        );
  return (rows as Row[]).map(toItem);
}
