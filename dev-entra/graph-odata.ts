import type { ServerResponse } from 'node:http';
import { base64url } from 'jose';
import { sendJson } from './http';
import { newGuid } from './opaque';

/** Graph's own paging limits on directory collections. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;

/** A Graph failure: HTTP status, OData error code and message, as Graph phrases them. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly graphCode: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string): GraphError => new GraphError(400, 'Request_BadRequest', message);
export const notFound = (id: string): GraphError =>
  new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

/** Graph's error body: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export function sendGraphError(res: ServerResponse, error: GraphError, requestId: string, clientRequestId: string | undefined): void {
  const date = `${new Date().toISOString().slice(0, 19)}`;
  const body = {
    error: {
      code: error.graphCode,
      message: error.message,
      innerError: { date, 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId },
    },
  };
  sendJson(res, error.status, body, { ...graphHeaders(requestId, clientRequestId), ...error.headers });
}

export function graphHeaders(requestId: string, clientRequestId: string | undefined): Record<string, string> {
  return {
    'request-id': requestId,
    'client-request-id': clientRequestId ?? requestId,
    'Cache-Control': 'no-cache',
    'OData-Version': '4.0',
    'x-ms-ags-diagnostic': JSON.stringify({ ServerInfo: { DataCenter: 'dev-entra', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'DEV' } }),
  };
}

export function newRequestId(): string {
  return newGuid();
}

/** `$select`: the requested properties, each one the type has; undefined when absent. */
export function parseSelect(params: URLSearchParams, allowed: readonly string[], typeName: string): string[] | undefined {
  const raw = params.get('$select');
  if (raw === null) return undefined;
  const names = raw
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!allowed.some((a) => a.toLowerCase() === name.toLowerCase()))
      throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`);
  }
  return names.map((n) => allowed.find((a) => a.toLowerCase() === n.toLowerCase()) ?? n);
}

/** `$top`: 1 to 999, default 100, as for Graph's directory collections. */
export function parseTop(params: URLSearchParams): number {
  const raw = params.get('$top');
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const top = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(top >= 1 && top <= MAX_PAGE_SIZE)) throw badRequest(`Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`);
  return top;
}

/** An opaque `$skiptoken`: where the next page starts, bound to the collection it pages. */
export function encodeSkipToken(collection: string, offset: number): string {
  return `RFNwdAIA${base64url.encode(JSON.stringify({ c: collection, o: offset }))}`;
}

export function decodeSkipToken(token: string | null, collection: string): number {
  if (token === null) return 0;
  try {
    if (!token.startsWith('RFNwdAIA')) throw new Error('prefix');
    const parsed = JSON.parse(new TextDecoder().decode(base64url.decode(token.slice(8)))) as { c?: unknown; o?: unknown };
    if (parsed.c !== collection || typeof parsed.o !== 'number' || !Number.isInteger(parsed.o) || parsed.o < 0) throw new Error('shape');
    return parsed.o;
  } catch {
    throw badRequest('The specified page token value has expired or is invalid.');
  }
}

/** Rebuilds a query string keeping OData's `$` names readable, as Graph's nextLinks do. */
export function odataQuery(params: URLSearchParams): string {
  const parts = [...params].map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v)}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** Keeps only the `$select`ed properties (all of `full` without `$select`), in the order given. */
export function project(full: Record<string, unknown>, select: readonly string[] | undefined, always: readonly string[] = []): Record<string, unknown> {
  if (!select) return { ...full };
  const out: Record<string, unknown> = {};
  for (const name of [...always, ...select]) if (name in full) out[name] = full[name];
  return out;
}
