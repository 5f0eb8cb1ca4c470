import type { AppRegistry } from './app-registry';
import type { Counters } from './counters';
import type { Directory } from './directory';
import type { GrantStore } from './grants';
import type { GraphFault } from './graph-faults';
import type { KeyRing } from './keys';

export type TokenVersion = 1 | 2;

/** How discovery and key endpoints fail during a simulated outage. */
export type OutageMode = 'unavailable' | 'reset';

export interface EmulatorConfig {
  /** `accessTokenAcceptedVersion` of the emulated API; null in a new registration, which means v1. */
  apiTokenVersion: TokenVersion;
  /** Extra exact redirect URIs per client ID, on top of each app's registered ones. */
  redirectUris: Record<string, string[]>;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly at: number;
}

/** Everything one emulator instance holds; handlers receive it instead of reaching for globals. */
export interface EmulatorState {
  /** Set once the server listens, before the first request is served. */
  origin: string;
  readonly secure: boolean;
  readonly ring: KeyRing;
  readonly config: EmulatorConfig;
  outage: { down: boolean; mode: OutageMode };
  readonly grants: GrantStore;
  readonly requests: RequestRecord[];
  /** Account state and group memberships, changeable through the control API. */
  readonly directory: Directory;
  /** Client credentials and Graph permissions of the app registrations. */
  readonly apps: AppRegistry;
  graphFault: GraphFault;
  readonly counters: Counters;
  /** Where generated app certificates are written (the `--cert-dir`, or a temporary directory). */
  readonly files: { dir: string | undefined; temporary: boolean };
}
