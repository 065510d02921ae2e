#!/usr/bin/env node
// `npm start`: Kafka (started here unless one answers or KAFKA_BROKERS is set), Postgres check, the three services,
// a demo receiver, and one demo webhook followed from the API call to the read model. Ctrl-C stops everything.
'use strict';

const path = require('node:path');
const { ensureKafka, SetupError } = require('./kafka');
const { bindDatabaseToLog } = require('./local-database');
const { checkPostgres } = require('./postgres-check');
const { SERVICES, startService, waitReady, ROOT } = require('./services');

process.env.SWC_NODE_PROJECT = path.join(ROOT, 'tsconfig.json');
require('@swc-node/register');
const { runDemo, startDemoReceiver } = require('./demo/demo.ts');

const say = (msg) => process.stdout.write(`\x1b[1m▶\x1b[0m ${msg}\n`);

/** Development defaults: every one can be overridden from the environment. */
function localEnv(brokers) {
  return {
    KAFKA_BROKERS: brokers.join(','),
    DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/hookline',
    ADMIN_API_KEY: process.env.ADMIN_API_KEY || 'hk_local_admin_key_for_development_only',
    HOOKLINE_DEV: process.env.HOOKLINE_DEV || 'true',
    ALLOW_HTTP_ENDPOINTS: process.env.ALLOW_HTTP_ENDPOINTS || 'true',
    SSRF_ALLOW_CIDRS: process.env.SSRF_ALLOW_CIDRS || '127.0.0.1/32',
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  };
}

async function main() {
  const children = [];
  let kafka;
  let receiver;
  let stopping = false;
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    say('Stopping…');
    await Promise.all(children.map((c) => c.stop()));
    if (receiver) await receiver.close();
    if (kafka) await kafka.stop();
    say('Stopped. Nothing left running.');
    process.exit(code);
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));

  try {
    say('Kafka…');
    kafka = await ensureKafka({ log: (m) => say(m) });
    say(`Kafka at ${kafka.brokers.join(',')} (${kafka.started ? 'started by npm start' : 'already running'})`);
    const env = localEnv(kafka.brokers);
    const version = await checkPostgres(env.DATABASE_URL.replace(/\/[^/]*$/, '/postgres'));
    say(`Postgres ${version} answers; the services create their database and run migrations`);
    // Only the default local database is ours to start over; one named by DATABASE_URL is the user's.
    if (!process.env.DATABASE_URL) await bindDatabaseToLog(env.DATABASE_URL, kafka.clusterId, { say });

    for (const service of SERVICES) {
      const extra = { PORT: String(service.port), ...(service.grpcPort ? { GRPC_PORT: String(service.grpcPort) } : {}) };
      children.push(startService(service, { ...env, ...extra }));
    }
    await Promise.all(children.map((c, i) => waitReady(c, SERVICES[i].port)));
    say('command-service  http://127.0.0.1:3000 (REST, docs at /docs) · gRPC 127.0.0.1:50051');
    say('query-service    http://127.0.0.1:3001 (REST) · gRPC 127.0.0.1:50052');
    say('dispatcher       http://127.0.0.1:3002 (/metrics, /readyz)');

    receiver = await startDemoReceiver();
    say(`Demo receiver listening on ${receiver.url}`);
    await runDemo({ receiver, adminKey: env.ADMIN_API_KEY, commandUrl: 'http://127.0.0.1:3000', queryUrl: 'http://127.0.0.1:3001', brokers: kafka.brokers, say });
    say(`ready — Hookline is running. Admin key: ${env.ADMIN_API_KEY}. Press Ctrl-C to stop.`);
  } catch (err) {
    process.stderr.write(`\n✖ ${err instanceof SetupError ? err.message : err.stack || err.message}\n`);
    await shutdown(1);
  }
}

main();
