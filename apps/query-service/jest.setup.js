// Integration tests start real Kafka consumers and child processes. `testTimeout` in a project config is ignored when
// jest runs every project from the root, so the timeout is set here, where both ways of running honour it.
jest.setTimeout(120_000);
