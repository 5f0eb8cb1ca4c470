import net from 'node:net';
import zlib from 'node:zlib';

export interface RawRequest {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * One request over its own socket, written byte for byte as given (fetch and node:http refuse
 * odd methods, raw targets and bad header bytes; an attacker's client does not), with
 * `Connection: close`, and the response parsed back (chunked bodies decoded, 1xx skipped).
 */
export function rawRequest(port: number, req: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const head = [`${req.method} ${req.target} HTTP/1.1`, 'host: 127.0.0.1', ...req.headers.map(([k, v]) => `${k}: ${v}`), 'connection: close'];
  if (req.body) head.push(`content-length: ${req.body.length}`);
  const bytes = Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), req.body ?? Buffer.alloc(0)]);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    // written, not ended: a half-closed socket makes Node abort the request (httpAllowHalfOpen is off)
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms to ${req.method} ${req.target}`)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // a reset after the answer arrived still leaves the answer readable
      if (err.code === 'ECONNRESET' && chunks.length) return;
      reject(err);
    });
    socket.on('close', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks), req.method === 'HEAD'));
      } catch (err) {
        reject(err);
      }
    });
  });
}

function parseResponse(raw: Buffer, head: boolean): RawResponse {
  let rest = raw;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`incomplete response: ${JSON.stringify(rest.subarray(0, 200).toString('latin1'))}`);
    const lines = rest.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]);
    if (!status) throw new Error(`not an HTTP response: ${JSON.stringify(lines[0])}`);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] ? `${headers[name]}, ${value}` : value;
    }
    rest = rest.subarray(end + 4);
    if (status < 200) continue;
    if (head || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0) };
    const length = headers['content-length'];
    const body = /chunked/i.test(headers['transfer-encoding'] ?? '') ? dechunk(rest) : length ? rest.subarray(0, Number(length)) : rest;
    return { status, headers, body: decode(body, headers['content-encoding']) };
  }
}

function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    out.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (!encoding || !body.length) return body;
  if (/gzip/i.test(encoding)) return zlib.gunzipSync(body);
  if (/br/i.test(encoding)) return zlib.brotliDecompressSync(body);
  if (/deflate/i.test(encoding)) return zlib.inflateSync(body);
  return body;
}
