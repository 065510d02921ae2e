#!/usr/bin/env node
// A Kafka broker for local runs and CI, with Hookline's topics: reuse the one named by KAFKA_BROKERS or already
// listening on 127.0.0.1:${KAFKA_LOCAL_PORT:-9092}, otherwise start a single-node KRaft broker from jars cached in .cache/.
// Plain CommonJS on purpose: `npm test` and `npm start` run it before anything is built.
//
//   node deploy/local/kafka.js up|down|status|topics
'use strict';

const net = require('node:net');
const { resolveLocalKafka, topicOptionsFromEnv } = require('./kafka-settings');
const { SetupError } = require('./setup-error');
const { ensureKafkaJars } = require('./kafka-jars');
const { startBrokerProcess, stopBrokerProcess, runningBrokerPid, brokerLogTail, isAlive } = require('./kafka-broker');
const { probeKafka, waitForKafka, loadTopicSpecs, createTopics } = require('./kafka-admin');

const READY_TIMEOUT_MS = 60_000;

/** Resolves true if something accepts TCP connections on host:port (Kafka or not). */
function portInUse(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

async function provisionTopics(brokers, topics, env, log) {
  if (topics === false) return;
  const specs = topics ?? loadTopicSpecs(topicOptionsFromEnv(env));
  const created = await createTopics(brokers, specs);
  if (created.length > 0) log(`Created Kafka topics: ${created.join(', ')}`);
}

async function startLocalBroker(settings, log) {
  for (const port of [settings.port, settings.controllerPort]) {
    if (await portInUse(settings.host, port)) {
      throw new SetupError(
        `Port ${settings.host}:${port} is taken by a process that is not a Kafka broker we can use. ` +
          `Stop it, or pick other ports with KAFKA_LOCAL_PORT (and KAFKA_LOCAL_CONTROLLER_PORT).`,
      );
    }
  }
  await ensureKafkaJars({ libsDir: settings.libsDir, log });
  log(`Starting Kafka on ${settings.localBrokers[0]} (data in ${settings.dataDir})…`);
  const pid = startBrokerProcess(settings);
  try {
    const cluster = await waitForKafka(settings.localBrokers, {
      timeoutMs: READY_TIMEOUT_MS,
      stillStarting: () => isAlive(pid),
      describeFailure: () => brokerLogTail(settings),
    });
    return { pid, clusterId: cluster.clusterId };
  } catch (err) {
    await stopBrokerProcess(pid, settings, { graceMs: 5000 });
    throw new SetupError(err.message);
  }
}

/**
 * Makes a Kafka cluster available and creates Hookline's topics on it.
 *   - KAFKA_BROKERS set: that cluster is used (we wait for it to answer), nothing is started.
 *   - a broker already answers on 127.0.0.1:KAFKA_LOCAL_PORT (default 9092): it is reused.
 *   - otherwise a single-node broker is started; `stop()` stops it again.
 * Options other than `log` exist for tests: `port`, `controllerPort`, `dataDir`, `cacheDir`, `env`, and `topics`
 * (an explicit list of topic specs, or false for none).
 * `clusterId` is the id the cluster gave when it answered (what `npm start` binds its database to).
 * @returns {Promise<{ brokers: string[], clusterId: string, started: boolean, pid?: number, stop(): Promise<void> }>}
 */
async function ensureKafka({ log = console.log, env = process.env, topics, ...overrides } = {}) {
  const settings = resolveLocalKafka(env, overrides);
  const reuse = async (brokers, cluster) => {
    await provisionTopics(brokers, topics, env, log);
    return { brokers, clusterId: cluster.clusterId, started: false, stop: async () => {} };
  };

  if (settings.externalBrokers) {
    const brokers = settings.externalBrokers;
    const cluster = await waitForKafka(brokers, {
      timeoutMs: READY_TIMEOUT_MS,
      describeFailure: () => 'KAFKA_BROKERS names a cluster that does not answer: start it, or unset KAFKA_BROKERS.',
    }).catch((err) => {
      throw new SetupError(err.message);
    });
    return reuse(brokers, cluster);
  }

  const answering = await probeKafka(settings.localBrokers);
  if (answering) return reuse(settings.localBrokers, answering);

  // Started by an earlier `up` (or another run) that is still booting: wait for it rather than start a second one.
  const bootingPid = runningBrokerPid(settings);
  if (bootingPid) {
    log(`Waiting for the Kafka broker (pid ${bootingPid}) that is starting in ${settings.dataDir}…`);
    const cluster = await waitForKafka(settings.localBrokers, {
      timeoutMs: READY_TIMEOUT_MS,
      stillStarting: () => isAlive(bootingPid),
      describeFailure: () => brokerLogTail(settings),
    }).catch((err) => {
      throw new SetupError(err.message);
    });
    return reuse(settings.localBrokers, cluster);
  }

  const { pid, clusterId } = await startLocalBroker(settings, log);
  let stopping;
  const stop = () => (stopping ??= stopBrokerProcess(pid, settings));
  try {
    await provisionTopics(settings.localBrokers, topics, env, log);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`Kafka ready on ${settings.localBrokers[0]} (pid ${pid})`);
  return { brokers: settings.localBrokers, clusterId, started: true, pid, stop };
}

/** Stops the broker a previous `up` started for this port, if any. Returns whether one was running. */
async function stopLocalKafka({ env = process.env, ...overrides } = {}) {
  const settings = resolveLocalKafka(env, overrides);
  const pid = runningBrokerPid(settings);
  if (!pid) return false;
  await stopBrokerProcess(pid, settings);
  return true;
}

async function cli(command, env = process.env) {
  const log = (msg) => console.log(msg);
  switch (command) {
    case 'up': {
      const kafka = await ensureKafka({ log, env });
      const at = kafka.brokers.join(',');
      log(kafka.started ? `Kafka is up at ${at} (stop it with npm run kafka:down)` : `Kafka already answers at ${at}`);
      return 0;
    }
    case 'down': {
      if (env.KAFKA_BROKERS) {
        log(`KAFKA_BROKERS is set (${env.KAFKA_BROKERS}): not stopping a cluster this script did not start`);
        return 0;
      }
      const stopped = await stopLocalKafka({ env });
      const { port } = resolveLocalKafka(env);
      log(
        stopped
          ? `Stopped the local Kafka broker on port ${port}`
          : `No local Kafka broker started by this script on port ${port}`,
      );
      return 0;
    }
    case 'status': {
      const settings = resolveLocalKafka(env);
      const brokers = settings.externalBrokers ?? settings.localBrokers;
      const cluster = await probeKafka(brokers);
      const pid = settings.externalBrokers ? null : runningBrokerPid(settings);
      const owner = pid ? `, pid ${pid}, data in ${settings.dataDir}` : '';
      const at = brokers.join(',');
      log(cluster ? `Kafka answers at ${at} (cluster ${cluster.clusterId}${owner})` : `No Kafka answers at ${at}${owner}`);
      return cluster ? 0 : 3;
    }
    case 'topics': {
      const settings = resolveLocalKafka(env);
      const brokers = settings.externalBrokers ?? settings.localBrokers;
      if (!(await probeKafka(brokers))) {
        const at = brokers.join(',');
        throw new SetupError(`No Kafka answers at ${at}: start one with npm run kafka:up, or set KAFKA_BROKERS`);
      }
      await provisionTopics(brokers, undefined, env, log);
      for (const spec of loadTopicSpecs(topicOptionsFromEnv(env))) {
        log(`${spec.name}  partitions=${spec.partitions}  retention.ms=${spec.retentionMs}`);
      }
      return 0;
    }
    default:
      console.error('usage: node deploy/local/kafka.js up|down|status|topics');
      return 2;
  }
}

if (require.main === module) {
  cli(process.argv[2]).then(
    (code) => process.exit(code),
    (err) => {
      // Setup problems carry their own advice; a stack trace would only bury it.
      console.error(err instanceof SetupError ? err.message : `kafka.js ${process.argv[2]} failed: ${err.message}`);
      process.exit(1);
    },
  );
}

module.exports = { ensureKafka, stopLocalKafka, portInUse, SetupError };
