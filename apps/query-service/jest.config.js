const preset = require('../../jest.preset');

// Integration tests start real Kafka consumers and Nest apps: give them time, and run them one file at a time per worker.
module.exports = { ...preset, displayName: 'query-service', rootDir: __dirname, testTimeout: 120_000 };
