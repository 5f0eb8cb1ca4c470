import 'server-only';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { changesRouter } from './routers/changes';
import { doctorRouter } from './routers/doctor';
import { groupsRouter } from './routers/groups';
import { loginsRouter } from './routers/logins';
import { overviewRouter } from './routers/overview';
import { settingsRouter } from './routers/settings';
import { usersRouter } from './routers/users';
import { createCallerFactory, router } from './init';

/** Every router of the console API, one per noun. */
export const appRouter = router({
  auth: authRouter,
  settings: settingsRouter,
  doctor: doctorRouter,
  users: usersRouter,
  groups: groupsRouter,
  overview: overviewRouter,
  logins: loginsRouter,
  changes: changesRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
