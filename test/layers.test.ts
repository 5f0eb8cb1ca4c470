import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderOf, importsOf, isClientModule, isTestFile, ROOT, sourceFiles, type ImportEdge } from './import-graph';

// The layer rules of docs/architecture.md ("Layers"), checked on the folder graph built from
// the sources (relative imports and `@/` alike). File-level cycles: ESLint's import/no-cycle.
const product = sourceFiles().filter((f) => !isTestFile(f));
const runtimeEdges: ImportEdge[] = product.flatMap(importsOf).filter((e) => e.local && !e.typeOnly);
const show = (edges: ImportEdge[]) => edges.map((e) => `${e.from} -> ${e.to}`);
// left to the error-model work (branch `errors`): the directory's errors extend tRPC's; the one allowed offender
const settled = runtimeEdges;

const DOMAINS = [
  'server/audit',
  'server/audit-reports',
  'server/directory',
  'server/entra',
  'server/health',
  'server/graph',
  'server/login',
  'server/console-auth',
  'server/sessions',
  'server/settings',
];
const TRANSPORTS = ['server/trpc', 'server/http'];
const isBrowser = (file: string) => /^(components|lib)\//.test(file) || (file.startsWith('app/') && isClientModule(file));

/** Edges from files matching `from` to files of the given folders (`to` as folder names or a test). */
function crossing(from: (file: string) => boolean, to: (folder: string) => boolean): ImportEdge[] {
  return runtimeEdges.filter((e) => from(e.from) && folderOf(e.from) !== folderOf(e.to) && to(folderOf(e.to)));
}

/** Every cycle of the folder graph, as the folders of one strongly connected component (Tarjan). */
function folderCycles(edges: ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    graph.get(a)!.add(b);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('layers', () => {
  it('finds the folders and imports it checks (the graph is not empty)', () => {
    expect(product.length).toBeGreaterThan(200);
    expect(runtimeEdges.some((e) => e.from === 'server/boot.ts' && e.to === 'db/client.ts')).toBe(true);
    expect(folderOf('server/audit/changes.ts')).toBe('server/audit');
    expect(folderOf('server/boot.ts')).toBe('server/boot');
  });

  it('detects a folder cycle when one exists (a fabricated a -> b -> a)', () => {
    const fake = (from: string, to: string): ImportEdge => ({ from, to, specifier: to, typeOnly: false, local: true });
    expect(folderCycles([fake('server/audit/x.ts', 'server/settings/y.ts'), fake('server/settings/y.ts', 'server/audit/z.ts')])).toEqual([
      ['server/audit', 'server/settings'],
    ]);
  });

  it('has no cycle between folders (runtime imports of product code, but for the one edge the error model removes)', () => {
    expect(folderCycles(settled)).toEqual([]);
  });

  it('keeps db/ and config/ at the bottom: db/ imports only config/, config/ imports only shared/', () => {
    expect(
      show(
        crossing(
          (f) => f.startsWith('db/'),
          (to) => to !== 'config',
        ),
      ),
    ).toEqual([]);
    expect(
      show(
        crossing(
          (f) => f.startsWith('config/'),
          (to) => to !== 'shared',
        ),
      ),
    ).toEqual([]);
  });

  it('keeps browser code (components/, lib/, client components of app/) off server runtime code', () => {
    expect(show(crossing(isBrowser, (to) => to.startsWith('server/') || to === 'db' || to === 'config'))).toEqual([]);
  });

  it('keeps shared/ standalone: it imports nothing of the project outside shared/, and not server-only', () => {
    const edges = product.filter((f) => f.startsWith('shared/')).flatMap(importsOf);
    expect(show(edges.filter((e) => (e.local && !e.to.startsWith('shared/')) || e.to === 'server-only'))).toEqual([]);
  });

  it('lets app/ reach server/ only through the route handlers of server/http', () => {
    expect(
      show(
        crossing(
          (f) => f.startsWith('app/'),
          (to) => (to.startsWith('server/') && to !== 'server/http') || to === 'db' || to === 'config',
        ),
      ),
    ).toEqual([]);
  });

  it('keeps domains and server/lib off the transports, the CLI and boot', () => {
    const lower = (f: string) => DOMAINS.includes(folderOf(f)) || /^server\/(lib\/|background\.ts)/.test(f);
    const offenders = show(crossing(lower, (to) => [...TRANSPORTS, 'server/cli', 'server/boot'].includes(to)));
    expect(offenders).toEqual([]);
  });

  it('keeps server/trpc off server/http (the HTTP door mounts tRPC, not the reverse)', () => {
    expect(
      show(
        crossing(
          (f) => folderOf(f) === 'server/trpc',
          (to) => to === 'server/http',
        ),
      ),
    ).toEqual([]);
  });

  it('never imports dev-entra/ from product code', () => {
    expect(
      show(
        crossing(
          (f) => !f.startsWith('dev-entra/'),
          (to) => to === 'dev-entra',
        ),
      ),
    ).toEqual([]);
  });

  it('starts every module of server/, db/ and config/ with server-only (except db/schema and the generated db/schema-pg, which drizzle-kit loads outside Next; the .cjs workers run outside any bundle)', () => {
    const offenders = sourceFiles()
      .filter((f) => /^(server|db|config)\//.test(f) && !/^db\/schema(-pg)?\//.test(f) && /\.tsx?$/.test(f) && !isTestFile(f))
      .filter((f) => !/^import 'server-only';$/m.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
