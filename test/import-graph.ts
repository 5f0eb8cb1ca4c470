// The project's import graph, read from the sources with TypeScript's parser (no type check):
// which file imports which, and whether only types cross. test/layers.test.ts folds it into
// folders and checks the layer rules of docs/architecture.md ("Layers").
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const ROOT = path.resolve(import.meta.dirname, '..');

const SOURCE = /\.(ts|tsx|mts|cts|mjs|cjs|js)$/;
const SKIP_DIRS = new Set(['node_modules', '.next', 'data', 'test-results', 'reports', '.git', '.stryker-tmp', 'migrations']);
const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cts', '.mjs', '.cjs', '.js', '/index.ts', '/index.tsx'];

export interface ImportEdge {
  /** Importing file, relative to the root with forward slashes. */
  from: string;
  /** Imported file (relative) or, for a package, its name. */
  to: string;
  /** The raw specifier as written. */
  specifier: string;
  /** Only types cross (`import type`, `export type`, every named binding `type`): erased at build. */
  typeOnly: boolean;
  /** True for a project file, false for a package. */
  local: boolean;
}

/** Every source file of the project (relative paths), skipping dependencies, build output and data. */
export function sourceFiles(dir = ROOT): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') && entry.name !== '.ci') continue;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...sourceFiles(path.join(dir, entry.name)));
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(path.relative(ROOT, path.join(dir, entry.name)).split(path.sep).join('/'));
    }
  }
  return out.sort();
}

function resolveLocal(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith('@/')) base = path.join(ROOT, specifier.slice(2));
  else if (specifier.startsWith('.')) base = path.resolve(ROOT, path.dirname(from), specifier);
  else return null;
  for (const ext of EXTENSIONS) {
    const candidate = base + ext;
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return path.relative(ROOT, candidate).split(path.sep).join('/');
  }
  return path.relative(ROOT, base).split(path.sep).join('/');
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import 'x'` runs x
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return false;
  return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** The imports of one file: static imports and re-exports, `import()` and `require()` of a literal. */
export function importsOf(file: string): ImportEdge[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const resolved = resolveLocal(file, specifier);
    edges.push({ from: file, to: resolved ?? packageName(specifier), specifier, typeOnly, local: resolved !== null });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text, isTypeOnlyImport(node));
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      add(node.moduleSpecifier.text, isTypeOnlyExport(node));
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal))
      add(node.argument.literal.text, true);
    else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isImport || isRequire) add((node.arguments[0] as ts.StringLiteralLike).text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** Test files and test helpers: they may reach across layers (a domain test may drive a router). */
export function isTestFile(file: string): boolean {
  const base = path.basename(file);
  return /\.test\.tsx?$/.test(base) || /^test-[\w-]+\.tsx?$/.test(base) || /^(test|e2e|bench)\//.test(file);
}

/**
 * The layer a file belongs to: `server/<domain>` for a folder of server/, `server/<name>` for a
 * file directly in server/, the top folder otherwise, and the file's name for files at the root.
 */
export function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts.length === 1) return file.replace(SOURCE, '');
  if (parts[0] === 'server') return parts.length === 2 ? `server/${parts[1]!.replace(SOURCE, '')}` : `server/${parts[1]}`;
  return parts[0]!;
}

/** Is `file` a client component / browser module (`'use client'` as its first statement)? */
export function isClientModule(file: string): boolean {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return /^(\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*['"]use client['"]/.test(text);
}
