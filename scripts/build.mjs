// `npm run build`: compile server/, views/ and db/ with tsc into dist/, so `npm start` runs plain JavaScript
// (no TypeScript loader at run time). The sources import extensionless ('./config'), as the bundler
// resolution of tsconfig.json allows; Node's ESM loader needs the file, so each relative specifier of the
// output is rewritten to the file it names. Non-TypeScript files the server reads (migrations, the roster
// worker) are copied next to the compiled code that looks for them.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
export const STAMP = join(DIST, '.build-stamp');
/** What the build reads: a change to any of it makes dist/ stale. */
export const INPUTS = ['server', 'views', 'db', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/build.mjs'];

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else yield p;
  }
}

/** The newest modification time of the build's inputs (a few hundred stats: milliseconds). */
export function newestInput() {
  let newest = 0;
  for (const input of INPUTS) {
    const p = join(ROOT, input);
    if (!existsSync(p)) continue;
    const st = statSync(p);
    if (!st.isDirectory()) newest = Math.max(newest, st.mtimeMs);
    else for (const f of files(p)) newest = Math.max(newest, statSync(f).mtimeMs);
  }
  return newest;
}

export function isStale() {
  return !existsSync(STAMP) || statSync(STAMP).mtimeMs < newestInput();
}

const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']*)\2/g;

/** './x' → './x.js' or './x/index.js', whichever the compiled tree holds; anything else is left alone. */
function rewriteSpecifiers(file) {
  const src = readFileSync(file, 'utf8');
  const out = src.replace(SPECIFIER, (whole, lead, quote, spec) => {
    if (/\.(m?js|json|cjs)$/.test(spec)) return whole;
    const base = resolve(dirname(file), spec);
    if (existsSync(`${base}.js`)) return `${lead}${quote}${spec}.js${quote}`;
    if (existsSync(join(base, 'index.js'))) return `${lead}${quote}${spec}/index.js${quote}`;
    throw new Error(`${file}: cannot resolve ${spec}`);
  });
  if (out !== src) writeFileSync(file, out);
}

export function build({ quiet = false } = {}) {
  const t0 = performance.now();
  rmSync(DIST, { recursive: true, force: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit', cwd: ROOT });
  for (const f of files(DIST)) if (f.endsWith('.js')) rewriteSpecifiers(f);
  cpSync(join(ROOT, 'db', 'migrations'), join(DIST, 'db', 'migrations'), { recursive: true });
  for (const f of files(join(ROOT, 'server'))) {
    if (f.endsWith('.mjs')) cpSync(f, join(DIST, f.slice(ROOT.length + 1)));
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  if (!quiet) console.log(`Built dist/ in ${Math.round(performance.now() - t0)} ms`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) build();
