// The walls of the house, checked by dependency-cruiser (.dependency-cruiser.cjs) on every `npm test`.
// dependency-cruiser can tell a type-only import from code only through the TypeScript 5 API, which
// TypeScript 7 no longer ships, so it reads the sources with swc and reports `import type` too. A type
// vanishes at compile time, so a violation counts only when the source imports the target as code.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseSync } from '@swc/core';
import { cruise, type IViolation } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** The local modules a file imports as code (not `import type`, not only `{ type X }` specifiers). */
function codeImports(file: string): Set<string> {
  const ast = parseSync(readFileSync(join(root, file), 'utf8'), { syntax: 'typescript', target: 'es2022' });
  const out = new Set<string>();
  for (const node of ast.body) {
    if (node.type === 'ImportDeclaration') {
      if (node.typeOnly) continue;
      const specs = node.specifiers;
      if (specs.length > 0 && specs.every((s) => s.type === 'ImportSpecifier' && s.isTypeOnly)) continue;
      out.add(node.source.value);
    } else if ((node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && node.source) {
      if (node.type === 'ExportNamedDeclaration' && node.typeOnly) continue;
      out.add(node.source.value);
    }
  }
  const resolved = new Set<string>();
  for (const spec of out) {
    if (!spec.startsWith('.')) continue;
    const base = join(dirname(file), spec).replace(/\.(ts|js)$/, '');
    resolved.add(`${base}.ts`);
    resolved.add(`${base}/index.ts`);
  }
  return resolved;
}

function isCodeEdge(from: string, to: string): boolean {
  return codeImports(from).has(to);
}

function counts(v: IViolation): boolean {
  if (v.cycle && v.cycle.length > 0) {
    const hops = [v.from, ...v.cycle.map((c) => c.name)];
    return hops.slice(0, -1).every((from, i) => isCodeEdge(from, hops[i + 1]));
  }
  return isCodeEdge(v.from, v.to);
}

describe('the walls of the house', () => {
  it('domain, views, db, routes and cycles keep to the rules in .dependency-cruiser.cjs', async () => {
    const config = await extractDepcruiseConfig(join(root, '.dependency-cruiser.cjs'));
    const result = await cruise(['server', 'views', 'db'], { validate: true, ruleSet: config, ...config.options, baseDir: root });
    const output = result.output as Exclude<typeof result.output, string>;
    const broken = output.summary.violations.filter(counts).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(output.summary.totalCruised).toBeGreaterThan(100);
    expect(broken).toEqual([]);
  }, 60_000);

  it('sees a code import and ignores a type-only one', () => {
    expect(isCodeEdge('views/account/page.ts', 'views/html.ts')).toBe(true);
    expect(codeImports('views/home/admin.ts').has('db/queries/admin-home.ts')).toBe(false);
  });
});
