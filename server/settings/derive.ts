/** Moved to lib/settings/derive.ts (pure, browser-safe); kept so that server imports stay short. */
export * from '@/lib/settings/derive';
