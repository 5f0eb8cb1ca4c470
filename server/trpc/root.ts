import 'server-only';
import { authRouter } from './routers/auth';
import { doctorRouter } from './routers/doctor';
import { settingsRouter } from './routers/settings';
import { createCallerFactory, router } from './init';

/** Every router of the console API, one per noun. */
export const appRouter = router({
  auth: authRouter,
  settings: settingsRouter,
  doctor: doctorRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
