// Talking to a broker from the provisioning scripts: "does it answer?", "wait until it does", "create our topics".
'use strict';

const Module = require('node:module');
const path = require('node:path');
const { Kafka, logLevel } = require('kafkajs');
const { REPO_ROOT, topicCreateRequests } = require('./kafka-settings');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The scripts report failures themselves; kafkajs' own error logging would repeat each refused connection.
function quietKafka(brokers, { connectionTimeout = 1000, requestTimeout = 5000, retries = 0 } = {}) {
  return new Kafka({
    clientId: 'hookline-provisioning',
    brokers,
    connectionTimeout,
    requestTimeout,
    retry: { retries, initialRetryTime: 200 },
    logLevel: logLevel.NOTHING,
  });
}

/** describeCluster() within a short timeout: the cluster description if a Kafka broker answers, else null. */
async function probeKafka(brokers, { timeoutMs = 1500 } = {}) {
  const admin = quietKafka(brokers, { connectionTimeout: timeoutMs, requestTimeout: timeoutMs }).admin();
  let timer;
  try {
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs * 2);
    });
    return await Promise.race([
      (async () => {
        await admin.connect();
        return admin.describeCluster();
      })(),
      timeout,
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

/**
 * Polls until the cluster answers. `stillStarting()` lets the caller fail fast when the broker process died;
 * `describeFailure()` supplies the detail (e.g. the broker log tail) for the timeout error.
 */
async function waitForKafka(brokers, { timeoutMs = 60_000, stillStarting = () => true, describeFailure = () => '' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cluster = await probeKafka(brokers);
    if (cluster) return cluster;
    if (!stillStarting()) {
      throw new Error(`Kafka broker exited before it answered on ${brokers.join(',')}\n${describeFailure()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`Kafka did not answer on ${brokers.join(',')} within ${timeoutMs / 1000} s\n${describeFailure()}`);
    }
    await sleep(250);
  }
}

/**
 * Hookline's topic specs from libs/contracts (the single source of topic names, partitions and retention).
 * This script runs before any build, so the TypeScript file is compiled on the fly by @swc-node/register,
 * and the hook is removed again so it does not leak into the rest of the process.
 */
function loadTopicSpecs(options) {
  // A caller that already compiles TypeScript on require (e.g. start.js) keeps its hook; a second one would compile twice.
  const tsAlreadyHandled = Boolean(Module._extensions['.ts']);
  const revert = tsAlreadyHandled ? () => {} : require('@swc-node/register/register').register();
  try {
    const { topicSpecs } = require(path.join(REPO_ROOT, 'libs', 'contracts', 'src', 'topics.ts'));
    return topicSpecs(options);
  } finally {
    revert();
  }
}

/**
 * Creates the topics that do not exist yet (existing ones are left as they are, so this is safe to run any time
 * and concurrently). Returns the names it created.
 */
async function createTopics(brokers, specs) {
  const admin = quietKafka(brokers, { connectionTimeout: 3000, requestTimeout: 30_000, retries: 5 }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topicCreateRequests(specs).filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return [];
    try {
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    } catch (err) {
      // A concurrent run may have created some of them between listTopics and createTopics; anything else is real.
      const alreadyThere = new Set(await admin.listTopics());
      if (!missing.every((t) => alreadyThere.has(t.topic))) throw err;
    }
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}

module.exports = { probeKafka, waitForKafka, loadTopicSpecs, createTopics };
