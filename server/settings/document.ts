/** Moved to lib/settings/document.ts (pure, browser-safe); kept so that server imports stay short. */
export * from '@/lib/settings/document';
