/**
 * The benchmark's baseline (not product code): the same login work as POST /api/login —
 * jose RS256 verification with a cached key, the same claim checks, and one SQLite
 * transaction (uti, user upsert, groups, session, chained history row) — on a bare node:http
 * server with hand-prepared statements. Started by bench/login.ts as its own process.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { openDb } from '@/db/client';
import { baselineLogin } from './baseline-login';

const [, , file, authority, tenantId, clientId, portArg, metaFile] = process.argv;
const db = openDb(file!).$client;
db.pragma('wal_autocheckpoint = 0');
// the same bytes ice-sso serves at /sso-meta (bench/login.ts fetched them), sent by a bare node:http server
const metaBody = metaFile
  ? fs.readFileSync(metaFile)
  : Buffer.from(JSON.stringify({ provider: 'azure_ad', audience: `api://${clientId}`, tenantId, clientId }));
const metaEtag = `"${crypto.createHash('sha256').update(metaBody).digest('base64url').slice(0, 27)}"`;

async function main() {
  const login = await baselineLogin(db, { authority: authority!, tenantId: tenantId!, clientId: clientId! });
  const server = http.createServer(async (req, res) => {
    if (req.url === '/sso-meta') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': metaBody.length, etag: metaEtag, 'access-control-allow-origin': '*' });
      return res.end(metaBody);
    }
    try {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const result = await login(token);
      res.writeHead(result ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result ?? { error: 'invalid_token' }));
    } catch {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"invalid_token"}');
    }
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(portArg), '127.0.0.1', () => process.stdout.write('baseline ready\n'));
  setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), 1000).unref();
}

void main();
