import 'server-only';
/** Moved to shared/settings/fields.ts (pure, browser-safe); kept so that server imports stay short. */
export * from '@/shared/settings/fields';
