/** Calls the emulator served, by kind: what cache tests count. */
export interface Counters {
  /** Graph calls by endpoint (`users.transitiveMemberOf`, …), faulted and refused ones included. */
  graph: Record<string, number>;
  /** Tokens issued by grant (`client_credentials:client_secret`, `client_credentials:private_key_jwt`, `authorization_code`, `refresh_token`). */
  tokenGrants: Record<string, number>;
}

export function newCounters(): Counters {
  return { graph: {}, tokenGrants: {} };
}

export function count(bucket: Record<string, number>, kind: string): void {
  bucket[kind] = (bucket[kind] ?? 0) + 1;
}

/** A copy with totals, for the control API and the emulator object. */
export function snapshot(counters: Counters): {
  graph: Record<string, number>;
  graphTotal: number;
  tokenGrants: Record<string, number>;
  tokenGrantTotal: number;
} {
  const total = (bucket: Record<string, number>) => Object.values(bucket).reduce((a, b) => a + b, 0);
  return {
    graph: { ...counters.graph },
    graphTotal: total(counters.graph),
    tokenGrants: { ...counters.tokenGrants },
    tokenGrantTotal: total(counters.tokenGrants),
  };
}

export function clearCounters(counters: Counters): void {
  for (const key of Object.keys(counters.graph)) delete counters.graph[key];
  for (const key of Object.keys(counters.tokenGrants)) delete counters.tokenGrants[key];
}
