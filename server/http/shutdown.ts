import 'server-only';
import type http from 'node:http';

/** How long in-flight requests may take to finish after SIGTERM before their connections are cut. */
export const DRAIN_TIMEOUT_MS = 10_000;

export interface Drain {
  /** True once shutdown began: responses then carry `Connection: close`. */
  readonly stopping: boolean;
  /** Stops accepting, waits for in-flight requests (at most `timeoutMs`), then cuts what is left. */
  drain(timeoutMs?: number): Promise<{ drained: boolean; cut: number }>;
}

/**
 * Tracks in-flight requests of a node:http server so that shutdown can let them finish:
 * a load balancer's SIGTERM then never cuts a login between its commit and its response.
 */
export function trackRequests(server: http.Server): Drain {
  const inFlight = new Set<http.ServerResponse>();
  let stopping = false;
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    // keep-alive clients move to another instance after this response
    if (stopping) res.setHeader('connection', 'close');
  });
  return {
    get stopping() {
      return stopping;
    },
    async drain(timeoutMs = DRAIN_TIMEOUT_MS) {
      stopping = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      server.close();
      server.closeIdleConnections();
      const deadline = Date.now() + timeoutMs;
      while (inFlight.size > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        // a keep-alive socket whose response just finished is idle now
        server.closeIdleConnections();
      }
      const cut = inFlight.size;
      server.closeAllConnections();
      return { drained: cut === 0, cut };
    },
  };
}
