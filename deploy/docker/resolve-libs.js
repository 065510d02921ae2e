// In the image, `@hookline/<lib>` imports resolve to the compiled lib under dist/libs/<lib>/src (the same mapping
// tsconfig.base.json gives the TypeScript sources).
'use strict';

const Module = require('node:module');
const path = require('node:path');

const DIST = path.join(__dirname, 'dist', 'libs');
const original = Module._resolveFilename;
Module._resolveFilename = function resolveHooklineLibs(request, ...rest) {
  const m = /^@hookline\/([a-z0-9-]+)$/.exec(request);
  if (m) return original.call(this, path.join(DIST, m[1], 'src', 'index.js'), ...rest);
  return original.call(this, request, ...rest);
};
