import { DEMO_APPS } from './apps';
import type { DemoApp } from './apps';
import { GRAPH_APP_ID } from './ids';

const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
const GRAPH_PREFIXES = ['https://graph.microsoft.com/', `${GRAPH_APP_ID}/`];
/** What a user has consented to on Graph for every demo app. */
const GRAPH_CONSENTED = ['User.Read'];

/** The one resource a token request is for (Entra issues one access token per resource). */
export type ResourceRequest =
  | { readonly kind: 'api'; readonly app: DemoApp; readonly names: readonly string[]; readonly requestedAs: 'uri' | 'guid' }
  | { readonly kind: 'graph'; readonly names: readonly string[] };

export interface ScopeRequest {
  readonly oidc: ReadonlySet<string>;
  readonly resource: ResourceRequest;
}

export interface ScopeError {
  readonly error: 'invalid_scope' | 'invalid_resource';
  readonly code: number;
  readonly description: string;
}

type ApiMatch = { app: DemoApp; name: string; requestedAs: 'uri' | 'guid' };

function matchApi(scope: string): ApiMatch | undefined {
  const lower = scope.toLowerCase();
  for (const app of DEMO_APPS) {
    if (!app.api) continue;
    for (const [prefix, requestedAs] of [
      [`${app.api.appIdUri}/`, 'uri'],
      [`${app.clientId}/`, 'guid'],
    ] as const) {
      if (lower.startsWith(prefix.toLowerCase())) return { app, name: scope.slice(prefix.length), requestedAs };
    }
  }
  return undefined;
}

/** Parses an Entra v2 `scope` parameter: OpenID scopes plus the scopes of one resource. */
export function parseScopes(raw: string): ScopeRequest | ScopeError {
  const oidc = new Set<string>();
  const graph: string[] = [];
  let api: { app: DemoApp; names: string[]; requestedAs: 'uri' | 'guid' } | undefined;
  for (const scope of raw.split(/\s+/).filter(Boolean)) {
    if (OIDC_SCOPES.has(scope.toLowerCase())) {
      oidc.add(scope.toLowerCase());
      continue;
    }
    const match = matchApi(scope);
    if (match) {
      const exposed = match.app.api?.scopes ?? [];
      const names = match.name === '.default' ? exposed : exposed.filter((s) => s.toLowerCase() === match.name.toLowerCase());
      if (names.length === 0) {
        return {
          error: 'invalid_scope',
          code: 65005,
          description: `The application asked for scope '${match.name}' that doesn't exist on the resource '${match.app.clientId}'.`,
        };
      }
      api ??= { app: match.app, names: [], requestedAs: match.requestedAs };
      api.names.push(...names.filter((n) => !api?.names.includes(n)));
      continue;
    }
    const graphPrefix = GRAPH_PREFIXES.find((p) => scope.toLowerCase().startsWith(p));
    if (graphPrefix !== undefined) {
      graph.push(scope.slice(graphPrefix.length));
      continue;
    }
    if (scope.includes('/')) {
      return {
        error: 'invalid_resource',
        code: 500011,
        description: `The resource principal named ${scope.slice(0, scope.lastIndexOf('/'))} was not found in the tenant.`,
      };
    }
    graph.push(scope);
  }
  if (api && graph.length > 0) {
    return {
      error: 'invalid_scope',
      code: 28000,
      description: 'Provided value for the input parameter scope is not valid because it contains more than one resource.',
    };
  }
  if (api) return { oidc, resource: { kind: 'api', ...api } };
  const names = graph.filter((n) => n !== '.default');
  return { oidc, resource: { kind: 'graph', names: [...new Set([...names, ...GRAPH_CONSENTED])] } };
}

export function isScopeError(value: ScopeRequest | ScopeError): value is ScopeError {
  return 'error' in value;
}

/** `scp` of the access token: scope names, without the resource prefix. */
export function grantedScopeNames(request: ScopeRequest): string[] {
  const { resource } = request;
  if (resource.kind === 'api') return [...resource.names];
  // Graph tokens list the OpenID scopes Graph serves alongside its own, as Entra's do.
  return [...new Set(['openid', 'profile', ...resource.names, 'email'])];
}

/** The token response's `scope`: full scope values for an API, names for Graph. */
export function responseScope(request: ScopeRequest): string {
  const { resource } = request;
  if (resource.kind === 'graph') return grantedScopeNames(request).join(' ');
  return resource.names.map((n) => `${resource.app.api?.appIdUri ?? resource.app.clientId}/${n}`).join(' ');
}
