/** Moved to lib/settings/fields.ts (pure, browser-safe); kept so that server imports stay short. */
export * from '@/lib/settings/fields';
