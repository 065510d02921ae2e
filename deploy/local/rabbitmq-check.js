// One question before the test run: does RabbitMQ answer at AMQP_TEST_URL? The AMQP sources and destinations are
// tested against a real broker; a refused connection is said once here instead of in every AMQP test.
'use strict';

const { SetupError } = require('./setup-error');
const { redact } = require('./postgres-check');

const DEFAULT_AMQP_TEST_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** Resolves with the broker's product and version, or rejects with a one-line SetupError saying what to do. */
async function checkRabbitMq(url = DEFAULT_AMQP_TEST_URL, { timeoutMs = 5000 } = {}) {
  const amqp = require('amqplib');
  let connection;
  try {
    connection = await amqp.connect(url, { timeout: timeoutMs });
    connection.on('error', () => {});
    const { product, version } = connection.connection.serverProperties;
    return `${product} ${version}`;
  } catch (err) {
    throw new SetupError(
      `RabbitMQ is not reachable at ${redact(url)} (${err.code ?? ''}${err.code ? ': ' : ''}${err.message}). The AMQP source and ` +
        'destination tests need a real broker: start it (rabbitmq-server -detached) or point AMQP_TEST_URL at a running one.',
    );
  } finally {
    await connection?.close().catch(() => {});
  }
}

module.exports = { checkRabbitMq, DEFAULT_AMQP_TEST_URL };
