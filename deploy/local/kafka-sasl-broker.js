// A throwaway single-node KRaft broker with a SASL_PLAINTEXT listener, for tests of Kafka destinations that
// authenticate with SASL: the shared local broker has no SASL listener, and its configuration is everyone's. Started
// from the jars deploy/local caches (kafka-jars.js), with kafka-broker.js' lifecycle, on free ports and in a
// temporary data dir that stop() removes with the process.
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { resolveLocalKafka } = require('./kafka-settings');
const { ensureKafkaJars } = require('./kafka-jars');
const { startBrokerProcess, stopBrokerProcess, brokerLogTail, isAlive } = require('./kafka-broker');
const { waitForKafka } = require('./kafka-admin');
const { SetupError } = require('./setup-error');

const READY_TIMEOUT_MS = 60_000;
// Throwaway: a short grace, then SIGKILL; nothing on it is worth a clean shutdown.
const STOP_GRACE_MS = 3000;
const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];
// Users go into a JAAS line and the storage tool's --add-scram list, neither of which this module quotes.
const SIMPLE = /^[A-Za-z0-9_.-]{1,64}$/;

/** A TCP port on 127.0.0.1 nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The broker's properties beyond the local broker's: a SASL_PLAINTEXT listener next to the PLAINTEXT one (which stays
 * the inter-broker listener and answers the readiness probe and the tests' admin), with PLAIN users from a static
 * JAAS list and SCRAM-SHA-256/512, whose credentials the storage is formatted with (scramFormatArgs).
 */
function saslListenerProperties({ host = '127.0.0.1', port, saslPort, controllerPort, users }) {
  const plainUsers = users.map(({ username, password }) => `user_${username}="${password}"`).join(' ');
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return {
    listeners: `PLAINTEXT://${host}:${port},SASL_PLAINTEXT://${host}:${saslPort},CONTROLLER://${host}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${host}:${port},SASL_PLAINTEXT://${host}:${saslPort}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
    'sasl.enabled.mechanisms': ['PLAIN', ...SCRAM_MECHANISMS].join(','),
    'listener.name.sasl_plaintext.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
    'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': scram,
    'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': scram,
  };
}

/** `kafka-storage format` arguments that create every user's SCRAM credentials (Kafka 3.5+ in KRaft). */
function scramFormatArgs(users) {
  return users.flatMap(({ username, password }) =>
    SCRAM_MECHANISMS.flatMap((mechanism) => ['--add-scram', `${mechanism}=[name=${username},password=${password}]`]));
}

function checkUsers(users) {
  if (!Array.isArray(users) || users.length === 0) throw new SetupError('a SASL test broker needs at least one user');
  for (const { username, password } of users) {
    if (!SIMPLE.test(username) || !SIMPLE.test(password)) {
      throw new SetupError(`SASL test broker users and passwords are 1-64 of [A-Za-z0-9_.-], got user "${username}"`);
    }
  }
}

/**
 * Starts the broker and resolves once it answers. `users`: who may authenticate, with PLAIN, SCRAM-SHA-256 and
 * SCRAM-SHA-512 alike. Resolves with `brokers` (PLAINTEXT, for admin work), `saslBrokers` (SASL_PLAINTEXT), and
 * `stop()`, which kills the broker and removes its data dir. A process exit kills it too.
 * @param {{ users: Array<{ username: string, password: string }>, heap?: string, log?: (line: string) => void }} options
 */
async function startSaslKafkaBroker({ users, heap = '384m', log = () => {} }) {
  checkUsers(users);
  // Each is free now, but the system may hand the same one out twice: three distinct ones.
  const ports = new Set();
  while (ports.size < 3) ports.add(await freePort());
  const [port, saslPort, controllerPort] = [...ports];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-kafka-sasl-'));
  const env = { KAFKA_LOCAL_HEAP: heap, ...(process.env.HOOKLINE_CACHE_DIR ? { HOOKLINE_CACHE_DIR: process.env.HOOKLINE_CACHE_DIR } : {}) };
  const settings = {
    ...resolveLocalKafka(env, { port, controllerPort, dataDir }),
    extraProperties: saslListenerProperties({ port, saslPort, controllerPort, users }),
    formatArgs: scramFormatArgs(users),
  };
  let pid;
  // A test run that dies without stop() must not leave a JVM behind (its data dir stays in the system's temp dir).
  const killOnExit = () => {
    try {
      if (pid && isAlive(pid)) process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (pid) await stopBrokerProcess(pid, settings, { graceMs: STOP_GRACE_MS });
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await ensureKafkaJars({ libsDir: settings.libsDir, log });
    pid = startBrokerProcess(settings);
    process.once('exit', killOnExit);
    await waitForKafka(settings.localBrokers, {
      timeoutMs: READY_TIMEOUT_MS,
      stillStarting: () => isAlive(pid),
      describeFailure: () => brokerLogTail(settings),
    });
  } catch (err) {
    await stop().catch(() => undefined);
    throw err instanceof SetupError ? err : new SetupError(err.message);
  }
  log(`SASL test broker ready: PLAINTEXT ${settings.localBrokers[0]}, SASL_PLAINTEXT 127.0.0.1:${saslPort} (pid ${pid})`);
  return { brokers: settings.localBrokers, saslBrokers: [`127.0.0.1:${saslPort}`], pid, dataDir, stop };
}

module.exports = { startSaslKafkaBroker, saslListenerProperties, scramFormatArgs };
