import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A 32-byte key kept in a file of its own beside the database (the audit chain key, the Graph
 * credential key): base64 on one line, created on first use with mode 0600, never overwritten
 * (when two processes create it at once, both use the one that won). Returns null when the file
 * is missing and `create` is false. `fail` makes the caller's error for a damaged or unreadable
 * file (its message names the file, never the key).
 */
export function loadKeyFile(file: string, create: boolean, fail: (message: string) => Error): Buffer | null {
  try {
    return decode(fs.readFileSync(file, 'utf8'), file, fail);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw code ? fail(`the key file ${file} cannot be read (${code})`) : err;
  }
  if (!create) return null;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // another process created it first: use theirs
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return decode(fs.readFileSync(file, 'utf8'), file, fail);
}

function decode(text: string, file: string, fail: (message: string) => Error): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw fail(`the key file ${file} is damaged (expected 32 base64 bytes)`);
  return key;
}
