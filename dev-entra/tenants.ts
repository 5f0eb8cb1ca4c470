import { DEMO_DOMAIN, DEMO_TENANT_ID, OTHER_DOMAIN, OTHER_TENANT_ID } from './ids';

export interface DemoTenant {
  readonly id: string;
  readonly displayName: string;
  readonly domain: string;
}

export const DEMO_TENANTS: readonly DemoTenant[] = [
  { id: DEMO_TENANT_ID, displayName: 'Contoso', domain: DEMO_DOMAIN },
  { id: OTHER_TENANT_ID, displayName: 'Fabrikam', domain: OTHER_DOMAIN },
];

/**
 * What the first path segment of an Entra URL designates: one tenant (by GUID or verified
 * domain, as Entra accepts both) or one of the multi-tenant aliases.
 */
export type TenantScope =
  { readonly kind: 'tenant'; readonly tenant: DemoTenant; readonly segment: string } | { readonly kind: 'common' | 'organizations'; readonly segment: string };

export function resolveTenant(segment: string): TenantScope | undefined {
  const lower = segment.toLowerCase();
  if (lower === 'common' || lower === 'organizations') return { kind: lower, segment: lower };
  const tenant = DEMO_TENANTS.find((t) => t.id === lower || t.domain === lower);
  return tenant ? { kind: 'tenant', tenant, segment } : undefined;
}

/** The path segment endpoints are published under: Entra rewrites a domain to the tenant GUID. */
export function endpointSegment(scope: TenantScope): string {
  return scope.kind === 'tenant' ? scope.tenant.id : scope.kind;
}

export function tenantById(id: string): DemoTenant | undefined {
  return DEMO_TENANTS.find((t) => t.id === id);
}
