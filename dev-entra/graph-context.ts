import type { z } from 'zod';
import type { GraphCaller } from './graph-auth';
import type { EmulatorState } from './state';

/** What one Graph endpoint sees: the emulator, the authenticated caller and the request. */
export interface GraphContext {
  readonly state: EmulatorState;
  readonly caller: GraphCaller;
  readonly url: URL;
  /** Path segments after `/v1.0/`, decoded. */
  readonly segments: readonly string[];
  /** The JSON body, validated (400 `Request_BadRequest` otherwise). */
  body<T extends z.ZodType>(schema: T): Promise<z.output<T>>;
}
