import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { readBody } from './http';
import type { EmulatorState } from './state';

/** One `/_dev/` route: `param` is the decoded path segment after the route's name. */
export type Route = (state: EmulatorState, req: IncomingMessage, param: string) => Promise<{ status: number; body?: unknown }>;

export async function jsonBody<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.output<T>> {
  const text = await readBody(req);
  return schema.parse(text.trim() === '' ? {} : JSON.parse(text));
}
