import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { count } from './counters';
import { DirectoryError } from './directory';
import { MEMBERSHIP_PERMISSIONS, USER_PERMISSIONS, authenticateGraphCaller, requirePermission } from './graph-auth';
import type { GraphContext } from './graph-context';
import { applyGraphFault } from './graph-faults';
import { GraphError, badRequest, graphHeaders, newRequestId, notFound, sendGraphError } from './graph-odata';
import { BodyTooLargeError, readBody, sendJson } from './http';
import { getByIds, getGroup, getMemberObjects, getUser, listMemberships } from './graph-resources';
import type { EmulatorState } from './state';

/** One Graph endpoint: it answers a JSON body with 200, or throws a GraphError. */
type GraphEndpoint = { name: string; method: string; permissions: readonly string[]; run: (ctx: GraphContext) => Promise<unknown> | unknown };

/** Matches `/v1.0/...` segments to an endpoint (`{id}` is any one segment). */
function match(segments: readonly string[]): GraphEndpoint | undefined {
  const [root, id, action, cast, ...more] = segments;
  if (more.length > 0) return undefined;
  if (root === 'users' && id !== undefined) {
    if (action === undefined) return { name: 'users.get', method: 'GET', permissions: USER_PERMISSIONS, run: getUser };
    if ((action === 'transitiveMemberOf' || action === 'memberOf') && (cast === undefined || cast === 'microsoft.graph.group')) {
      return { name: `users.${action}`, method: 'GET', permissions: MEMBERSHIP_PERMISSIONS, run: listMemberships };
    }
    if ((action === 'getMemberObjects' || action === 'getMemberGroups') && cast === undefined) {
      return { name: `users.${action}`, method: 'POST', permissions: MEMBERSHIP_PERMISSIONS, run: getMemberObjects };
    }
  }
  if (root === 'groups' && id !== undefined && action === undefined)
    return { name: 'groups.get', method: 'GET', permissions: MEMBERSHIP_PERMISSIONS, run: getGroup };
  if (root === 'directoryObjects' && id === 'getByIds' && action === undefined) {
    return { name: 'directoryObjects.getByIds', method: 'POST', permissions: MEMBERSHIP_PERMISSIONS, run: getByIds };
  }
  return undefined;
}

function decodeSegments(raw: readonly string[]): string[] {
  try {
    return raw.map((s) => decodeURIComponent(s));
  } catch {
    throw badRequest('The request URI is not valid.');
  }
}

async function jsonBody<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.output<T>> {
  const text = await readBody(req);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw badRequest(`Invalid request body: ${result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  return result.data;
}

async function serve(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  rawSegments: readonly string[],
  url: URL,
  requestId: string,
  clientRequestId: string | undefined,
): Promise<void> {
  const segments = decodeSegments(rawSegments);
  const endpoint = match(segments);
  count(state.counters.graph, endpoint?.name ?? 'other');
  const fault = await applyGraphFault(state.graphFault, req, (status, code, message, headers) =>
    sendGraphError(res, new GraphError(status, code, message, headers), requestId, clientRequestId),
  );
  state.graphFault = fault.next;
  if (fault.outcome === 'answered') return;
  const caller = await authenticateGraphCaller(state, req);
  if (!endpoint) {
    throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${segments[segments.length - 1] ?? ''}'.`);
  }
  if (req.method !== endpoint.method) throw new GraphError(405, 'Request_BadRequest', `The HTTP method '${req.method ?? ''}' is not allowed on this resource.`);
  requirePermission(caller, endpoint.permissions);
  const body = await endpoint.run({ state, caller, url, segments, body: (schema) => jsonBody(req, schema) });
  sendJson(res, 200, body, graphHeaders(requestId, clientRequestId));
}

/**
 * Microsoft Graph v1.0 on the emulator's origin (the custom cloud's Graph host): the user,
 * membership and group reads ice-sso makes, with Graph's paging, errors and throttling.
 */
export async function handleGraph(state: EmulatorState, req: IncomingMessage, res: ServerResponse, segments: readonly string[], url: URL): Promise<void> {
  const requestId = newRequestId();
  const header = req.headers['client-request-id'];
  const clientRequestId = typeof header === 'string' && /^[\w-]{1,64}$/.test(header) ? header : undefined;
  try {
    await serve(state, req, res, segments, url, requestId, clientRequestId);
  } catch (e) {
    if (res.headersSent || req.socket.destroyed) return;
    const error =
      e instanceof GraphError
        ? e
        : e instanceof BodyTooLargeError
          ? new GraphError(413, 'Request_BadRequest', 'The request body is too large.')
          : e instanceof DirectoryError
            ? notFound(e.message)
            : new GraphError(500, 'UnknownError', 'An unexpected error occurred.');
    sendGraphError(res, error, requestId, clientRequestId);
  }
}
