import 'server-only';
import { z } from 'zod';
import { storedSettingsDocumentSchema } from '@/shared/settings/shapes';

/** One saved version of the settings (the tRPC routers declare it as their output; the service's type comes from it). */
export const settingsVersionSchema = z.object({
  version: z.number(),
  document: storedSettingsDocumentSchema,
  author: z.string(),
  authorKind: z.enum(['cli', 'local', 'entra', 'system']),
  comment: z.string().nullable(),
  revertedFrom: z.number().nullable(),
  createdAt: z.number(),
});
export type SettingsVersion = z.infer<typeof settingsVersionSchema>;
