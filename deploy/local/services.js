// Starts Hookline's three services as child processes (TypeScript run through @swc-node/register, no build
// step), prefixes their output, and stops them all together. Used by `npm start` and by end-to-end tests.
'use strict';

const { spawn } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** The services, their entry points and the port of their /readyz. */
const SERVICES = [
  { name: 'command-service', entry: 'apps/command-service/src/main.ts', portVar: 'PORT', port: 3000, grpcPort: 50051 },
  { name: 'query-service', entry: 'apps/query-service/src/main.ts', portVar: 'PORT', port: 3001, grpcPort: 50052 },
  { name: 'dispatcher', entry: 'apps/dispatcher/src/main.ts', portVar: 'PORT', port: 3002 },
];

function prefixLines(stream, label, out) {
  let buffered = '';
  stream.on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) if (line.trim()) out.write(`${label} ${line}\n`);
  });
}

// The young generation's size, in MiB, fixed: the maximum in NODE_OPTIONS (a later value of the caller's own there
// wins) and the same minimum on the command line (NODE_OPTIONS may not carry it; V8 lowers it to a smaller maximum).
// A larger young generation than V8's default 16 MiB lets per-message garbage die young (README, NODE_OPTIONS). A fixed
// one: left free to shrink while allocation slows and to grow again under load, it went with V8 starting incremental
// marking again soon after each full GC (by its own scheduling, far below the old generation's limit, as --trace-gc
// shows); a dispatcher at 420 msg/s ran 19 to 29 full GCs in 50 s (pauses of 10 to 70 ms), against 1 with it fixed.
const YOUNG_GENERATION_MIB = 64;

// On node's command line, as NODE_OPTIONS may carry neither. Without the memory reducer: it gives memory back after a
// quiet spell with a few full GCs, and V8 then let the old generation grow so little that the load which followed
// started one full GC after another (a benchmark run, whose services wait through the baselines first: 100 full GCs
// in the dispatcher and 125 in the query service over the run, 10 of 29.5 ms mean in the query service's 20 s at half
// load; without it 41, 25 and none). A service's heap then stays at what its load needed, which a server can afford.
// And with incremental marking started by the old generation's own filling (80 %), not by V8's default rule: after a
// quiet spell, that rule still started marking about 0.5 s after each full GC with 70 MB of room left; a probe that
// waited 100 s before its load counted 37, 38 and 6 full GCs in the command service, dispatcher and query service
// (pauses up to 141 ms), and 2, 2 and 3 with this (up to 39 ms).
const V8_FLAGS = [`--min-semi-space-size=${YOUNG_GENERATION_MIB}`, '--no-memory-reducer', '--incremental-marking-soft-trigger=80'];

/**
 * Spawns one service. `env` is merged over process.env. Resolves to a handle with `stop()` (SIGTERM, then SIGKILL
 * after `graceMs`) and `exited` (a promise of the exit code).
 */
const OUTPUT_TAIL_CHARS = 16 * 1024;

function startService(service, env, { out = process.stdout, quiet = false } = {}) {
  // The same V8 flags as the Docker image's CMD (deploy/docker/Dockerfile).
  const child = spawn(process.execPath, [...V8_FLAGS, '-r', '@swc-node/register', service.entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
      ...env,
      NODE_OPTIONS: `--max-semi-space-size=${YOUNG_GENERATION_MIB} ${env.NODE_OPTIONS ?? process.env.NODE_OPTIONS ?? ''}`.trim(),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const label = `[${service.name}]`;
  // The end of what it wrote, for a failing test to show. Quiet or not, both pipes are always read: a service writes
  // its logs to a pipe synchronously (Node on Linux), so one nobody reads blocks its whole event loop once 64 KiB of
  // error logs (a broker outage) have filled it.
  let tail = '';
  const keepTail = (chunk) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);
  if (!quiet) {
    prefixLines(child.stdout, label, out);
    prefixLines(child.stderr, label, out);
  }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return {
    name: service.name,
    child,
    exited,
    /** The last OUTPUT_TAIL_CHARS characters it wrote to stdout and stderr. */
    outputTail: () => tail,
    async stop(graceMs = 15000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls http://127.0.0.1:<port>/readyz until it answers 200; rejects early if the process exits. */
async function waitReady(handle, port, timeoutMs = 90000) {
  const deadline = Date.now() + timeoutMs;
  let exitCode;
  handle.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${handle.name} exited (${exitCode}) before it was ready; see its output above`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${handle.name} was not ready on port ${port} within ${Math.round(timeoutMs / 1000)} s`);
}

module.exports = { SERVICES, startService, waitReady, ROOT };
