import 'reflect-metadata';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMON_ENV } from '@hookline/config';
import { topicSpecs } from '@hookline/contracts';
import { HealthModule } from '@hookline/service-kit';
import { parseSealingKeys } from '@hookline/signing';
import { KubernetesObject, kubernetesManifests, kubernetesServiceEnv } from '@hookline/testing';
import { PATH_METADATA } from '@nestjs/common/constants';
import { parse } from 'yaml';

// The manifests must agree with the code and the image they run: nothing but a cluster would notice otherwise. What
// each service's environment holds is checked in its own config.spec.ts (kubernetesServiceEnv).
const ROOT = path.resolve(__dirname, '..', '..');
const SERVICES = ['command-service', 'dispatcher', 'query-service'];
const SECRET_EXAMPLE = 'secret.example.yaml';
/** Seconds a pod's grace period leaves beyond the service's own shutdown budget. */
const GRACE_MARGIN_SECONDS = 5;
/** uids of the users the Dockerfile's final base image defines (the official node images: node is 1000). */
const IMAGE_UIDS: Record<string, number> = { 'node:node': 1000 };

type Labels = Record<string, string>;
interface HttpProbe { httpGet?: { path: string; port: string | number } }
interface SecurityContext { runAsNonRoot?: boolean; runAsUser?: number; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } }
interface KeyRef { name: string; key: string }
interface Container {
  name: string;
  image: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: KeyRef } }>;
  envFrom?: Array<{ secretRef?: { name: string } }>;
  startupProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
  securityContext?: SecurityContext;
}
interface Deployment extends KubernetesObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Labels };
    template: {
      metadata: { labels: Labels; annotations?: Record<string, string> };
      spec: { containers: Container[]; securityContext?: SecurityContext; terminationGracePeriodSeconds?: number };
    };
  };
}
interface Service extends KubernetesObject { spec: { selector: Labels; ports: Array<{ name: string; port: number; targetPort: string | number }> } }
interface DisruptionBudget extends KubernetesObject { spec: { selector: { matchLabels: Labels }; maxUnavailable?: number; minAvailable?: number } }

const manifests = kubernetesManifests();
const objectsOf = <T extends KubernetesObject>(kind: string) => manifests.map((m) => m.object).filter((o): o is T => o.kind === kind);
const deployments = objectsOf<Deployment>('Deployment');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

function deploymentOf(service: string): Deployment {
  const found = deployments.find((d) => d.metadata.name === service);
  if (!found) throw new Error(`no Deployment ${service}`);
  return found;
}

function containerOf(service: string): Container {
  const found = deploymentOf(service).spec.template.spec.containers.find((c) => c.name === service);
  if (!found) throw new Error(`Deployment ${service} has no container ${service}`);
  return found;
}

/** The container port a probe or a Service names (by name or number), if the container declares it. */
const declaredPort = (container: Container, port: string | number) =>
  container.ports?.find((p) => (typeof port === 'string' ? p.name === port : p.containerPort === port));

const selects = (selector: Labels, labels: Labels) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

const sources = new Map<string, Array<{ file: string; text: string }>>();
/** The service's own source files (its tests left out). */
function sourcesOf(service: string): Array<{ file: string; text: string }> {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]);
  if (!sources.has(service)) {
    sources.set(service, walk(path.join(ROOT, 'apps', service, 'src'))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
      .map((file) => ({ file, text: readFileSync(file, 'utf8') })));
  }
  return sources.get(service) ?? [];
}

/**
 * The paths a probe or a scrape may ask of the service: the routes of service-kit's HealthModule (read from Nest's
 * route metadata), when the service mounts it and puts no prefix before its routes.
 */
function servedPaths(service: string): string[] {
  const files = sourcesOf(service);
  if (!files.some(({ text }) => text.includes('HealthModule.forRoot(')) || files.some(({ text }) => text.includes('setGlobalPrefix('))) return [];
  const [controller] = HealthModule.forRoot({ checks: [] }).controllers ?? [];
  const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
  return Object.getOwnPropertyNames(controller.prototype)
    .filter((name) => name !== 'constructor')
    .map((name) => Reflect.getMetadata(PATH_METADATA, controller.prototype[name]) as string | undefined)
    .filter((route): route is string => route !== undefined)
    .map((route) => `/${`${base}/${route}`.split('/').filter(Boolean).join('/')}`);
}

/** What the service adds to SHUTDOWN_TIMEOUT_MS for its whole shutdown (the timeout its onShutdownSignal gets). */
function shutdownExtraMs(service: string): number {
  const calls = sourcesOf(service).flatMap(({ text }) =>
    [...text.matchAll(/onShutdownSignal\([\s\S]*?config\.SHUTDOWN_TIMEOUT_MS(?:\s*\+\s*([\d_]+))?\s*,/g)]);
  if (calls.length !== 1) throw new Error(`${service}: expected one onShutdownSignal(…, config.SHUTDOWN_TIMEOUT_MS [+ n], …), found ${calls.length}`);
  return Number((calls[0][1] ?? '0').replace(/_/g, ''));
}

function preStopSeconds(container: Container): number {
  const preStop = container.lifecycle?.preStop;
  if (!preStop) return 0;
  if (preStop.sleep) return preStop.sleep.seconds;
  const [command, seconds, ...rest] = preStop.exec?.command ?? [];
  return command === 'sleep' && rest.length === 0 ? Number(seconds) : NaN;
}

describe('deploy/kubernetes', () => {
  it('lists every manifest of the folder in kustomization.yaml, but not the Secret example', () => {
    const { resources } = parse(read('deploy/kubernetes/kustomization.yaml')) as { resources: string[] };
    const files = readdirSync(__dirname).filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml');
    expect(files).toContain(SECRET_EXAMPLE);
    // Applied, the example would put its placeholders in place of the Secret the user created.
    expect([...resources].sort()).toEqual(files.filter((file) => file !== SECRET_EXAMPLE).sort());
  });

  it('runs the three services, each from the image deploy/docker/Dockerfile builds with APP=<service>, with a Service each', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(SERVICES);
    expect(objectsOf<Service>('Service').map((s) => s.metadata.name).sort()).toEqual(SERVICES);
    expect(read('deploy/docker/Dockerfile')).toContain('dist/apps/${APP}/src/main.js');
    for (const { file, object } of manifests.filter((m) => m.object.kind === 'Deployment')) {
      const service = object.metadata.name;
      const { image } = containerOf(service);
      const app = /^hookline\/([a-z-]+):[\w.-]+$/.exec(image)?.[1];
      expect({ service, app }).toEqual({ service, app: service });
      expect(existsSync(path.join(ROOT, 'apps', service, 'src', 'main.ts'))).toBe(true);
      // The comment that tells how to build the image names this image and this APP.
      expect(read(`deploy/kubernetes/${file}`)).toContain(`docker build -f deploy/docker/Dockerfile --build-arg APP=${service} -t ${image} .`);
    }
  });

  it.each(SERVICES)('%s: every probe asks a port the container declares for a path the service serves; liveness asks only that the process answers', (service) => {
    const container = containerOf(service);
    const served = servedPaths(service);
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
      expect(probe?.httpGet).toBeDefined();
      const { path: probed, port } = probe?.httpGet ?? { path: '', port: '' };
      expect({ port, declared: declaredPort(container, port) !== undefined }).toEqual({ port, declared: true });
      expect(served).toContain(probed);
    }
    // A liveness probe that depended on Kafka or Postgres would restart every pod while either is down.
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
  });

  it.each(SERVICES)('%s: asks Prometheus to scrape /metrics on a port the container declares', (service) => {
    const container = containerOf(service);
    const annotations = deploymentOf(service).spec.template.metadata.annotations ?? {};
    expect(annotations['prometheus.io/scrape']).toBe('true');
    expect(declaredPort(container, Number(annotations['prometheus.io/port']))).toBeDefined();
    expect(annotations['prometheus.io/path']).toBe('/metrics');
    expect(servedPaths(service)).toContain('/metrics');
  });

  it.each(SERVICES)('%s: declares as ports exactly the PORT (http) and GRPC_PORT (grpc) its environment sets, GRPC_PORT where the service has one', (service) => {
    const env = kubernetesServiceEnv(service);
    const readsGrpcPort = sourcesOf(service).some(({ text }) => /\bGRPC_PORT:\s*port\(/.test(text));
    expect({ PORT: env['PORT'] !== undefined, GRPC_PORT: env['GRPC_PORT'] !== undefined }).toEqual({ PORT: true, GRPC_PORT: readsGrpcPort });
    const expected = [{ name: 'http', containerPort: Number(env['PORT']) }];
    if (env['GRPC_PORT'] !== undefined) expected.push({ name: 'grpc', containerPort: Number(env['GRPC_PORT']) });
    expect(containerOf(service).ports?.map(({ name, containerPort }) => ({ name, containerPort }))).toEqual(expected);
  });

  it.each(SERVICES)('%s: its Service selects its pods and no others, and targets every port its container declares, by name', (service) => {
    const deployment = deploymentOf(service);
    const labels = deployment.spec.template.metadata.labels;
    expect(selects(deployment.spec.selector.matchLabels, labels)).toBe(true);
    const svc = objectsOf<Service>('Service').find((s) => s.metadata.name === service);
    const selected = deployments.filter((d) => selects(svc?.spec.selector ?? {}, d.spec.template.metadata.labels));
    expect(selected.map((d) => d.metadata.name)).toEqual([service]);
    const container = containerOf(service);
    for (const { targetPort } of svc?.spec.ports ?? []) {
      expect({ targetPort, declared: typeof targetPort === 'string' && declaredPort(container, targetPort) !== undefined }).toEqual({ targetPort, declared: true });
    }
    expect((svc?.spec.ports ?? []).map((p) => p.targetPort).sort()).toEqual((container.ports ?? []).map((p) => p.name).sort());
  });

  it('runs several dispatchers, each named after its pod (INSTANCE_ID from metadata.name), and lets a drain take one at a time', () => {
    const deployment = deploymentOf('dispatcher');
    const instanceId = containerOf('dispatcher').env?.find((e) => e.name === 'INSTANCE_ID');
    expect(instanceId?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    const replicas = deployment.spec.replicas ?? 1;
    expect(replicas).toBeGreaterThan(1);
    // More than the messages topic has partitions would stand idle.
    expect(replicas).toBeLessThanOrEqual(topicSpecs().find((t) => t.key === 'messages')?.partitions ?? 0);
    const budgets = objectsOf<DisruptionBudget>('PodDisruptionBudget')
      .filter((b) => selects(b.spec.selector.matchLabels, deployment.spec.template.metadata.labels));
    expect(budgets).toHaveLength(1);
    const { maxUnavailable, minAvailable } = budgets[0].spec;
    const disruptable = maxUnavailable !== undefined ? maxUnavailable : replicas - (minAvailable ?? replicas);
    expect(disruptable).toBeGreaterThanOrEqual(1);
    expect(disruptable).toBeLessThan(replicas);
  });

  it.each(SERVICES)("%s: runs as the Dockerfile's USER, never root, with no privilege escalation and no capabilities", (service) => {
    const dockerfile = read('deploy/docker/Dockerfile');
    const user = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].pop()?.[1] ?? 'root';
    const baseImage = [...dockerfile.matchAll(/^FROM\s+([^\s:@]+)/gm)].pop()?.[1];
    const uid = /^\d+$/.test(user) ? Number(user) : IMAGE_UIDS[`${baseImage}:${user}`];
    expect({ user, uid: uid !== undefined && uid !== 0 }).toEqual({ user, uid: true });
    const pod = deploymentOf(service).spec.template.spec.securityContext ?? {};
    const container = containerOf(service).securityContext ?? {};
    expect(container.runAsNonRoot ?? pod.runAsNonRoot).toBe(true);
    expect(container.runAsUser ?? pod.runAsUser).toBe(uid);
    expect(container.allowPrivilegeEscalation).toBe(false);
    expect(container.capabilities?.drop).toContain('ALL');
  });

  it.each(SERVICES)('%s: gives the process its whole graceful shutdown, after any preStop pause, before Kubernetes kills it', (service) => {
    const env = kubernetesServiceEnv(service);
    const timeoutMs = Number(env['SHUTDOWN_TIMEOUT_MS'] ?? COMMON_ENV.SHUTDOWN_TIMEOUT_MS.default);
    const needed = preStopSeconds(containerOf(service)) + (timeoutMs + shutdownExtraMs(service)) / 1000 + GRACE_MARGIN_SECONDS;
    // Kubernetes' default when unset is 30 s.
    expect(deploymentOf(service).spec.template.spec.terminationGracePeriodSeconds ?? 30).toBeGreaterThanOrEqual(needed);
  });

  it('has exactly the keys the Deployments read in the Secret example and in the `kubectl create secret` commands, and no usable sealing key', () => {
    const [secret, ...others] = manifests.filter((m) => m.object.kind === 'Secret');
    expect({ file: secret?.file, others: others.length }).toEqual({ file: SECRET_EXAMPLE, others: 0 });
    const values = (secret.object['stringData'] ?? {}) as Record<string, string>;
    const keys = Object.keys(values).sort();
    const containers = SERVICES.map(containerOf);
    const readWhole = containers.some((c) => c.envFrom?.some((from) => from.secretRef?.name === secret.object.metadata.name));
    const referenced = containers.flatMap((c) => c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : []))
      .filter((ref) => ref.name === secret.object.metadata.name).map((ref) => ref.key);
    expect(readWhole ? keys : [...new Set(referenced)].sort()).toEqual(keys);
    for (const file of [SECRET_EXAMPLE, 'README.md']) {
      const text = read(`deploy/kubernetes/${file}`);
      expect(text).toContain(`create secret generic ${secret.object.metadata.name}`);
      expect({ file, keys: [...text.matchAll(/--from-literal=([A-Z_]+)=/g)].map((m) => m[1]).sort() }).toEqual({ file, keys });
    }
    // Applied by mistake, the example would not start the services that seal: its placeholder is no key.
    expect(() => parseSealingKeys(values['SECRETS_ENCRYPTION_KEY'])).toThrow();
  });
});
