import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (a test's PostgreSQL), to make an outage on
 * demand: `cut()` destroys every open connection and resets new ones at once (a server that is
 * gone); `blackHole()` stops forwarding on the open connections without closing them and accepts
 * new ones that are never answered (a network that drops every packet, where only the client's
 * own timeouts end a wait); `restore()` forwards again (the connections held by a black hole are
 * then reset, as by a firewall that lost their state).
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
  /** Open connections stop forwarding (kept open, their bytes dropped); new ones are accepted and never answered. */
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
  // what a black hole holds: the connections it froze or accepted, reset once the network is back
  const held = new Set<net.Socket>();

  const server = net.createServer((client) => {
    accepted++;
    track(client);
    if (mode === 'cut') {
      // an RST, as from a host whose server is gone (not a polite FIN the client could mistake for an end of session)
      client.resetAndDestroy();
      return;
    }
    if (mode === 'black-hole') {
      held.add(client);
      client.on('data', () => {}); // read and dropped, never answered
      return;
    }
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    // forwarded by hand rather than piped, so that a black hole can drop the bytes of a live connection
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (mode === 'black-hole') {
          held.add(client);
          return;
        }
        to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
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
      for (const socket of open) held.add(socket);
    },
    restore() {
      mode = 'forward';
      for (const socket of held) socket.resetAndDestroy();
      held.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
