import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (a test's PostgreSQL), to make an outage on
 * demand: `cut()` destroys every open connection and resets new ones at once (a server that is
 * gone), `blackHole()` keeps new connections open and never answers (a network that drops
 * packets), `restore()` forwards again.
 */
export interface TcpProxy {
  /** The proxy's own port, to put in the URL a client uses instead of the server's. */
  port: number;
  /** The current mode. */
  mode: () => TcpProxyMode;
  /** Connections accepted so far (forwarded, refused and held). */
  accepted: () => number;
  /** Destroys every open connection (both sides) and refuses (resets) new ones until {@link restore}. */
  cut(): void;
  /** Destroys every open connection and then accepts new ones without ever forwarding or answering. */
  blackHole(): void;
  /** Forwards new connections again. */
  restore(): void;
  close(): Promise<void>;
}

export type TcpProxyMode = 'forward' | 'cut' | 'black-hole';

/** `url` with its host and port replaced by the proxy's (user, password, database and query kept). */
export function throughProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: TcpProxyMode = 'forward';
  let accepted = 0;
  const open = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    // a reset or a write after the peer left is what this proxy is for: never an unhandled error
    socket.on('error', () => {});
  };
  const dropAll = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };

  const server = net.createServer((client) => {
    accepted++;
    track(client);
    if (mode === 'cut') {
      // an RST, as from a host whose server is gone (not a polite FIN the client could mistake for an end of session)
      client.resetAndDestroy();
      return;
    }
    if (mode === 'black-hole') return; // held open, read from never answered
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', end);
    upstream.once('close', end);
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;

  return {
    port,
    mode: () => mode,
    accepted: () => accepted,
    cut() {
      mode = 'cut';
      dropAll();
    },
    blackHole() {
      mode = 'black-hole';
      dropAll();
    },
    restore() {
      mode = 'forward';
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
