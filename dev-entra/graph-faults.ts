import type { IncomingMessage } from 'node:http';
import { z } from 'zod';

/**
 * Faults Microsoft Graph shows on demand. `throttle` answers the next `count` Graph calls with
 * 429 or 503 and `Retry-After`; `down` answers every call (503, or a dropped connection with
 * `reset`) until cleared; `slow` delays every answer. `none` clears.
 */
export const GraphFaultSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  z
    .object({
      mode: z.literal('throttle'),
      status: z.union([z.literal(429), z.literal(503)]).default(429),
      retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
      count: z.number().int().min(1).max(1_000_000).default(1),
    })
    .strict(),
  z.object({ mode: z.literal('down'), reset: z.boolean().default(false) }).strict(),
  z.object({ mode: z.literal('slow'), delayMs: z.number().int().min(0).max(120_000) }).strict(),
]);

export type GraphFault = z.output<typeof GraphFaultSchema>;
export type GraphFaultInput = z.input<typeof GraphFaultSchema>;

/** What the fault did with a call: answered it (nothing more to do) or let it through. */
export type FaultOutcome = 'answered' | 'through';

/** Applies the current fault to one Graph call; `answer` sends an OData error with extra headers. */
export async function applyGraphFault(
  fault: GraphFault,
  req: IncomingMessage,
  answer: (status: number, code: string, message: string, headers: Record<string, string>) => void,
): Promise<{ outcome: FaultOutcome; next: GraphFault }> {
  if (fault.mode === 'throttle') {
    const next: GraphFault = fault.count > 1 ? { ...fault, count: fault.count - 1 } : { mode: 'none' };
    const headers = { 'Retry-After': String(fault.retryAfterSeconds) };
    if (fault.status === 429) answer(429, 'TooManyRequests', 'Too many requests.', headers);
    else answer(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Try again later.', headers);
    return { outcome: 'answered', next };
  }
  if (fault.mode === 'down') {
    if (fault.reset) req.socket.destroy();
    else answer(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Try again later.', { 'Retry-After': '5' });
    return { outcome: 'answered', next: fault };
  }
  if (fault.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  return { outcome: 'through', next: fault };
}
