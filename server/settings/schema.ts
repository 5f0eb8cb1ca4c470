/** Moved to lib/settings/schema.ts (pure, browser-safe); kept so that server imports stay short. */
export * from '@/lib/settings/schema';
