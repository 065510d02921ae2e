/**
 * @hookline/testing — helpers for integration and end-to-end tests: throwaway test databases, per-run topic
 * prefixes, recording webhook receivers on 127.0.0.1 (plain or TLS), a throw-away certificate authority, a recording OTLP
 * trace receiver, a recording HTTP CONNECT proxy, a throw-away Kafka broker with a SASL listener, run-scoped queues and exchanges on the test RabbitMQ, polling, and the
 * environment docker-compose.yml and deploy/kubernetes give each service.
 */
export { createTestDatabase, assertTestDatabase, testServerUrl } from './test-database';
export type { TestDatabase } from './test-database';
export { startReceiver } from './receiver';
export type { TestReceiver, ReceivedRequest, Responder, ReceiverOptions } from './receiver';
export { waitFor, testTopicPrefix, testBrokers } from './wait';
export { composeServiceEnv } from './compose';
export { kubernetesServiceEnv, kubernetesManifests, describeKubernetesEnv, KUBERNETES_DIR } from './kubernetes';
export type { KubernetesObject, KubernetesManifest } from './kubernetes';
export { freePort } from './free-port';
export { startOtlpReceiver, SPAN_KIND } from './otlp-receiver';
export type { OtlpReceiver, ReceivedSpan } from './otlp-receiver';
export { createTestPki } from './test-pki';
export type { TestPki, IssuedCertificate } from './test-pki';
export { startConnectProxy } from './connect-proxy';
export type { ConnectProxy } from './connect-proxy';
export { startSaslKafkaBroker } from './sasl-kafka-broker';
export type { SaslKafkaBroker, SaslTestUser } from './sasl-kafka-broker';
export { testAmqpUrl, openAmqpTestScope } from './rabbitmq';
export type { AmqpTestScope } from './rabbitmq';
