// `npm start`: build dist/ when the sources are newer than the last build (a fresh clone, a pull), then
// run the compiled server. A restart on unchanged sources only stats the inputs and starts.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { build, DIST, isStale } from './build.mjs';

if (isStale()) build();
await import(pathToFileURL(join(DIST, 'server', 'main.js')).href);
