import 'server-only';
/** Moved to shared/settings/schema.ts (pure, browser-safe); kept so that server imports stay short. */
export * from '@/shared/settings/schema';
