import { z } from 'zod';

/**
 * What anyone may know about the write-only Microsoft Graph credential: whether each kind is
 * set, when and by whom, a certificate's public facts, and which one is used (the certificate
 * when both are set). Never a value. Pure: the console reads the same shape.
 */
export const graphCredentialStatusSchema = z.object({
  /** The credential the Graph client uses; null when none is set (groups overage then stays unresolved). */
  active: z.enum(['client_secret', 'certificate']).nullable(),
  clientSecret: z.object({ set: z.boolean(), setAt: z.number().nullable(), setBy: z.string().nullable() }),
  certificate: z.object({
    set: z.boolean(),
    setAt: z.number().nullable(),
    setBy: z.string().nullable(),
    /** SHA-256 thumbprint of the certificate (hex), as the app registration's "Certificates" page can show it. */
    thumbprint: z.string().nullable(),
    /** The certificate's notAfter, epoch ms. */
    expiresAt: z.number().nullable(),
    subject: z.string().nullable(),
  }),
});
export type GraphCredentialStatus = z.infer<typeof graphCredentialStatusSchema>;
