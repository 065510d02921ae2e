#!/usr/bin/env node
// `npm test` (and CI): make sure Kafka, Postgres and the programs some tests run (system-tools.js) are there, lint
// every project, run every jest project, and stop the Kafka broker again if this run started it, whatever happens.
// Extra arguments go to jest:
//   npm test -- libs/kafka --testNamePattern offsets
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ensureKafka } = require('./kafka');
const { SetupError } = require('./setup-error');
const { checkPostgres, DEFAULT_DATABASE_URL } = require('./postgres-check');
const { checkRabbitMq, DEFAULT_AMQP_TEST_URL } = require('./rabbitmq-check');
const { ensureSystemTools } = require('./system-tools');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 };

const log = (msg) => console.log(`[test] ${msg}`);

let child = null;
let interrupted = null;

function run(command, args, env) {
  return new Promise((resolve) => {
    child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: 'inherit' });
    child.on('error', (err) => {
      console.error(`[test] could not run ${command}: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      child = null;
      resolve(code ?? SIGNAL_EXIT[signal] ?? 1);
    });
  });
}

// jest's own summary is not a line CI tools recognise; its JSON report gives the counts for one plain closing line.
function summarize(reportFile) {
  try {
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    const skipped = report.numPendingTests + report.numTodoTests;
    console.log(`jest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
  } catch {
    // jest died before writing its report; its own output already says why
  } finally {
    fs.rmSync(reportFile, { force: true });
  }
}

async function main(jestArgs) {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const version = await checkPostgres(databaseUrl);
  log(`Postgres ${version} answers`);
  const amqpTestUrl = process.env.AMQP_TEST_URL || DEFAULT_AMQP_TEST_URL;
  log(`${await checkRabbitMq(amqpTestUrl)} answers (AMQP tests)`);
  const tools = ensureSystemTools({ log });

  const kafka = await ensureKafka({ log });
  try {
    if (interrupted) return SIGNAL_EXIT[interrupted];
    const env = { ...process.env, ...tools, KAFKA_BROKERS: kafka.brokers.join(','), DATABASE_URL: databaseUrl, AMQP_TEST_URL: amqpTestUrl };

    const lintCode = await run('npx', ['nx', 'run-many', '-t', 'lint', '--outputStyle=static'], env);
    if (interrupted) return SIGNAL_EXIT[interrupted];
    if (lintCode !== 0) {
      console.error(`[test] lint failed (exit ${lintCode}); not running the tests`);
      return lintCode;
    }

    const reportFile = path.join(os.tmpdir(), `hookline-jest-${process.pid}.json`);
    // --forceExit: one test that leaks a socket or timer would otherwise keep jest alive after the last test until
    // CI's time runs out; jest still names the problem (run with --detectOpenHandles to find it).
    // Two workers at least: most test files spend their time waiting on Kafka, Postgres or the services they start,
    // not on the CPU, so on two cores two files at a time take about 60 % of the serial wall time (jest's default of
    // cores - 1 would run them one by one). Each file owns its database, topic prefix and ports, so they never meet.
    const workers = Math.min(4, Math.max(2, os.availableParallelism()));
    const jestFlags = ['--ci', '--forceExit', `--maxWorkers=${workers}`, '--json', `--outputFile=${reportFile}`];
    const jestCode = await run('npx', ['jest', ...jestFlags, ...jestArgs], env);
    summarize(reportFile);
    return interrupted ? SIGNAL_EXIT[interrupted] : jestCode;
  } finally {
    if (kafka.started) {
      log('Stopping the Kafka broker this run started');
      await kafka.stop();
    }
  }
}

for (const signal of Object.keys(SIGNAL_EXIT)) {
  process.on(signal, () => {
    if (interrupted) return; // the first signal is already being handled: cleanup is under way
    interrupted = signal;
    log(`${signal}: stopping the tests, then Kafka if this run started it`);
    child?.kill(signal);
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof SetupError ? `[test] ${err.message}` : `[test] failed: ${err.stack ?? err}`);
    process.exit(1);
  },
);
