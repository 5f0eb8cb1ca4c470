import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f && fs.existsSync(path.join(ROOT, f)));

// spelled in pieces so that this file does not name them itself
const outside = ['DESIGN', 'MACHINE', 'STYLE'].map((n) => `${n}.md`);

describe('the repository stands alone', () => {
  it('no tracked file cites the contract files that live outside the repository', () => {
    const citing = tracked
      .filter((f) => !/\.(png|jpe?g|ico|woff2?|db|key)$/.test(f))
      .flatMap((f) => {
        const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
        return outside.filter((name) => text.includes(name)).map((name) => `${f}: ${name}`);
      });
    expect(citing).toEqual([]);
  });

  it('every relative link in README.md and docs/*.md names a file or folder that exists', () => {
    const pages = tracked.filter((f) => f === 'README.md' || /^docs\/[^/]+\.md$/.test(f));
    expect(pages.length).toBeGreaterThan(5);
    const broken: string[] = [];
    for (const page of pages) {
      const text = fs.readFileSync(path.join(ROOT, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(?:[a-z]+:|#)/i.test(target!)) continue;
        const file = decodeURIComponent(target!.split('#', 1)[0]!);
        if (!fs.existsSync(path.resolve(ROOT, path.dirname(page), file))) broken.push(`${page}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('a comment that cites a docs/ page names one that exists', () => {
    const missing = tracked
      .filter((f) => /\.(ts|tsx|mjs|cjs|js)$/.test(f))
      .flatMap((f) => [...fs.readFileSync(path.join(ROOT, f), 'utf8').matchAll(/docs\/([\w.-]+\.md)/g)].map((m) => `${f}: docs/${m[1]}`))
      .filter((cite) => !fs.existsSync(path.join(ROOT, cite.slice(cite.indexOf(' ') + 1))));
    expect(missing).toEqual([]);
  });
});
