import 'reflect-metadata';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { COMMON_ENV, loadConfig, sealingKeyText } from '@hookline/config';
import { topicSpecs } from '@hookline/contracts';
import { HealthModule } from '@hookline/service-kit';
import { parseSealingKeys } from '@hookline/signing';
import { KubernetesObject, kubernetesManifests, kubernetesServiceEnv } from '@hookline/testing';
import { PATH_METADATA } from '@nestjs/common/constants';
import { parse, parseAllDocuments } from 'yaml';

// The manifests must agree with the code and the image they run: nothing but a cluster would notice otherwise. What
// each service's environment holds is checked in its own config.spec.ts (kubernetesServiceEnv).
const ROOT = path.resolve(__dirname, '..', '..');
/** The base's folder, under ROOT. */
const BASE = 'deploy/kubernetes/base';
const SERVICES = ['command-service', 'dispatcher', 'query-service'];
const SECRET_EXAMPLE = 'secret.example.yaml';
/** Seconds a pod's grace period leaves beyond the service's own shutdown budget. */
const GRACE_MARGIN_SECONDS = 5;
/** uids of the users the Dockerfile's final base image defines (the official node images: node is 1000). */
const IMAGE_UIDS: Record<string, number> = { 'node:node': 1000 };

type Labels = Record<string, string>;
interface HttpProbe {
  httpGet?: { path: string; port: string | number };
  tcpSocket?: { port: string | number };
  exec?: { command: string[] };
}
interface SecurityContext { runAsNonRoot?: boolean; runAsUser?: number; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } }
interface KeyRef { name: string; key: string }
interface Container {
  name: string;
  image: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: KeyRef } }>;
  envFrom?: Array<{ secretRef?: { name: string } }>;
  startupProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
  securityContext?: SecurityContext;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
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
interface Service extends KubernetesObject {
  spec: { selector: Labels; ports: Array<{ name: string; port: number; targetPort: string | number }>; clusterIP?: string; publishNotReadyAddresses?: boolean };
}
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
    const { resources } = parse(read(`${BASE}/kustomization.yaml`)) as { resources: string[] };
    const files = readdirSync(path.join(ROOT, BASE)).filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml');
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
      expect(read(`${BASE}/${file}`)).toContain(`docker build -f deploy/docker/Dockerfile --build-arg APP=${service} -t ${image} .`);
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
    for (const file of [`${BASE}/${SECRET_EXAMPLE}`, 'deploy/kubernetes/README.md']) {
      const text = read(file);
      expect(text).toContain(`create secret generic ${secret.object.metadata.name}`);
      expect({ file, keys: [...text.matchAll(/--from-literal=([A-Z_]+)=/g)].map((m) => m[1]).sort() }).toEqual({ file, keys });
    }
    // Applied by mistake, the example would not start the services that seal: its placeholder is no key.
    expect(() => parseSealingKeys(values['SECRETS_ENCRYPTION_KEY'])).toThrow();
  });
});

// The trial overlay as `kubectl kustomize deploy/kubernetes/trial` builds it: nothing here runs kustomize (it is not
// among the project's dependencies), so kustomize() below builds what the kustomizations here use, and refuses the rest.
const TRIAL = 'deploy/kubernetes/trial';
/** The kustomization fields kustomize() knows; a kustomization with another fails these tests until kustomize() learns it. */
const KUSTOMIZE_FIELDS = ['apiVersion', 'kind', 'namespace', 'resources', 'patches', 'replicas', 'generatorOptions', 'secretGenerator'];
/** Where each StatefulSet's image keeps its data: the variable that says so. */
const DATA_DIR_VARIABLES: Record<string, string> = { kafka: 'KAFKA_LOG_DIRS', postgres: 'PGDATA' };
/** The trial's own StatefulSets and the docker-compose.yml service whose image each runs. */
const TRIAL_SETS: Record<string, string> = { kafka: 'kafka', postgres: 'postgres' };

interface GeneratorOptions { disableNameSuffixHash?: boolean; labels?: Labels }
interface Kustomization {
  namespace?: string;
  resources?: string[];
  patches?: Array<{ path?: string; patch?: string; target?: unknown }>;
  replicas?: Array<{ name: string; count: number }>;
  generatorOptions?: GeneratorOptions;
  secretGenerator?: Array<{ name: string; type?: string; literals?: string[]; files?: string[]; envs?: string[]; options?: GeneratorOptions }>;
}
interface StatefulSet extends KubernetesObject {
  spec: {
    replicas?: number;
    serviceName: string;
    selector: { matchLabels: Labels };
    template: { metadata: { labels: Labels }; spec: { containers: Container[]; enableServiceLinks?: boolean } };
    volumeClaimTemplates?: Array<{ metadata: { name: string } }>;
  };
}

const kustomizationOf = (dir: string) => parse(read(`${dir}/kustomization.yaml`)) as Kustomization;

function yamlObjects(file: string): KubernetesObject[] {
  return parseAllDocuments(read(file)).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const object = doc.toJS() as KubernetesObject | null;
    return object ? [object] : [];
  });
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A strategic-merge patch of maps only: how kustomize merges a list depends on its field, which this does not model. */
function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>, where: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (Array.isArray(value)) throw new Error(`${where}: kustomize() merges maps only, not the list ${key}`);
    if (isMap(value) && isMap(target[key])) mergeInto(target[key] as Record<string, unknown>, value, where);
    else target[key] = value;
  }
}

/**
 * The objects `kubectl kustomize <dir>` builds (dir relative to the repository), for what the kustomizations here use:
 * resources (files and folders), namespace, strategic-merge patches of maps from files, replicas, and secretGenerator
 * literals under their own names. Throws on anything else rather than build what kustomize would not.
 */
function kustomize(dir: string): KubernetesObject[] {
  const kustomization = kustomizationOf(dir);
  const unknown = Object.keys(kustomization).filter((field) => !KUSTOMIZE_FIELDS.includes(field));
  if (unknown.length > 0) throw new Error(`${dir}/kustomization.yaml: kustomize() here does not model ${unknown.join(', ')}`);
  const objects = (kustomization.resources ?? []).flatMap((resource) => {
    const target = path.join(dir, resource);
    if (`${dir}/`.startsWith(`${target}/`)) throw new Error(`${dir}: kustomize refuses ${resource}, a folder its kustomization is in (cycle)`);
    return statSync(path.join(ROOT, target)).isDirectory() ? kustomize(target) : yamlObjects(target);
  });
  for (const generator of kustomization.secretGenerator ?? []) {
    const options = { ...kustomization.generatorOptions, ...generator.options };
    if (generator.files || generator.envs) throw new Error(`${dir}: kustomize() reads secretGenerator literals only`);
    // With the hash, kustomize renames the Secret and every reference to it; kustomize() does not.
    if (!options.disableNameSuffixHash) throw new Error(`${dir}: secretGenerator ${generator.name} without disableNameSuffixHash`);
    const data = Object.fromEntries((generator.literals ?? []).map((literal) => {
      const at = literal.indexOf('=');
      return [literal.slice(0, at), Buffer.from(literal.slice(at + 1)).toString('base64')];
    }));
    const metadata = { name: generator.name, ...(options.labels ? { labels: options.labels } : {}) };
    objects.push({ apiVersion: 'v1', kind: 'Secret', metadata, type: generator.type ?? 'Opaque', data });
  }
  for (const { path: file, ...rest } of kustomization.patches ?? []) {
    if (!file || Object.keys(rest).length > 0) throw new Error(`${dir}: kustomize() applies patches from a file, without target, only`);
    for (const patch of yamlObjects(path.join(dir, file))) {
      const target = objects.find((o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name);
      if (!target) throw new Error(`${dir}/${file}: no ${patch.kind} ${patch.metadata.name} to patch`);
      mergeInto(target, patch, `${dir}/${file}`);
    }
  }
  for (const { name, count } of kustomization.replicas ?? []) {
    const target = objects.find((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.name === name);
    if (!target) throw new Error(`${dir}: replicas of ${name}, which is not a Deployment or StatefulSet`);
    (target['spec'] as { replicas?: number }).replicas = count;
  }
  if (kustomization.namespace) {
    for (const object of objects.filter((o) => o.kind !== 'Namespace')) Object.assign(object.metadata, { namespace: kustomization.namespace });
  }
  return objects;
}

/** A Kubernetes memory quantity (Ki, Mi, Gi, or plain bytes) or a JVM size (k, m, g) in bytes. */
function bytes(quantity: string): number {
  const [, amount, unit = ''] = /^(\d+)([KMG]i?|[kmg])?$/.exec(quantity) ?? [];
  if (amount === undefined) throw new Error(`unreadable size "${quantity}"`);
  return Number(amount) * 1024 ** (['', 'k', 'm', 'g'].indexOf(unit.charAt(0).toLowerCase()));
}

describe('deploy/kubernetes/trial', () => {
  const objects = kustomize(TRIAL);
  const namespace = kustomizationOf(TRIAL).namespace ?? 'default';
  const find = <T extends KubernetesObject>(kind: string, name: string): T => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`the trial has no ${kind} ${name}`);
    return found as T;
  };
  const setContainer = (name: string): Container => {
    const found = find<StatefulSet>('StatefulSet', name).spec.template.spec.containers.find((c) => c.name === name);
    if (!found) throw new Error(`StatefulSet ${name} has no container ${name}`);
    return found;
  };
  const secretValue = ({ name, key }: KeyRef): string | undefined => {
    const encoded = (find<KubernetesObject>('Secret', name)['data'] as Record<string, string> | undefined)?.[key];
    return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
  };
  /** A StatefulSet container's own variables, those from Secrets resolved. */
  const envOf = (container: Container): Record<string, string | undefined> => Object.fromEntries((container.env ?? [])
    .map(({ name, value, valueFrom }) => [name, valueFrom?.secretKeyRef ? secretValue(valueFrom.secretKeyRef) : value]));
  const dnsName = (service: string) => `${service}.${namespace}.svc.cluster.local`;
  /** The Service whose cluster DNS name `host` is, and the StatefulSet whose pods it selects. */
  const serviceAt = (host: string): { service: Service; set: StatefulSet } => {
    const service = objects.find((o): o is Service => o.kind === 'Service' && dnsName(o.metadata.name) === host);
    if (!service) throw new Error(`${host} is the DNS name of no Service of the trial (in namespace ${namespace})`);
    const sets = objects.filter((o): o is StatefulSet => o.kind === 'StatefulSet')
      .filter((s) => selects(service.spec.selector, s.spec.template.metadata.labels));
    expect({ service: service.metadata.name, selects: sets.map((s) => s.metadata.name) }).toEqual({ service: service.metadata.name, selects: [expect.any(String)] });
    return { service, set: sets[0] };
  };
  /** The container port a client asking `service` on `port` reaches, if the container declares it. */
  const portBehind = (service: Service, port: number, container: Container): number | undefined => {
    const servicePort = service.spec.ports.find((p) => p.port === port);
    const target = servicePort ? declaredPort(container, servicePort.targetPort)?.containerPort : undefined;
    // A headless Service has no address of its own: clients connect to the pods' addresses, on the port they asked.
    return service.spec.clusterIP === 'None' && target !== port ? undefined : target;
  };
  /** The port a probe asks of its container, if the container declares it (an exec probe: the port its tool is given). */
  const probedPort = (container: Container, probe: HttpProbe): number | undefined => {
    const asked = probe.httpGet?.port ?? probe.tcpSocket?.port
      ?? /--bootstrap-server\s+localhost:(\d+)|^pg_isready\b.*\s-p\s+(\d+)/.exec(probe.exec?.command.join(' ') ?? '')?.slice(1).map(Number).find(Boolean);
    return asked === undefined ? undefined : declaredPort(container, asked)?.containerPort;
  };
  const listeners = (value = '') => value.split(',').map((listener) => {
    const [, name, host, port] = /^([A-Z_]+):\/\/([^:]*):(\d+)$/.exec(listener) ?? [];
    return { name, host, port: Number(port) };
  });

  it('is the base, by its folder, and every file of its own folder: manifests as resources, config-patch.yaml as a patch', () => {
    const { resources = [], patches = [] } = kustomizationOf(TRIAL);
    // kustomize refuses an overlay inside its base's folder: the base is base/, and deploy/kubernetes only names it.
    expect(resources).toContain('../base');
    expect(kustomizationOf('deploy/kubernetes').resources).toEqual(['base']);
    const files = readdirSync(path.join(ROOT, TRIAL)).filter((file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml');
    const listed = [...resources.filter((r) => r !== '../base'), ...patches.map((p) => p.path)];
    expect([...listed].sort()).toEqual(files.sort());
    expect(objects.filter((o) => o.kind === 'Deployment').map((d) => d.metadata.name).sort()).toEqual(SERVICES);
    expect(objects.filter((o) => o.kind === 'StatefulSet').map((s) => s.metadata.name).sort()).toEqual(Object.keys(TRIAL_SETS).sort());
    expect(objects.every((o) => o.kind === 'Namespace' || (o.metadata as { namespace?: string }).namespace === namespace)).toBe(true);
  });

  it('generates the Secret the services read with the keys of secret.example.yaml', () => {
    const example = manifests.find((m) => m.file === SECRET_EXAMPLE)?.object;
    const secret = find<KubernetesObject>('Secret', example?.metadata.name ?? '');
    expect(Object.keys(secret['data'] ?? {}).sort()).toEqual(Object.keys(example?.['stringData'] ?? {}).sort());
  });

  it.each(SERVICES)('%s: gets every variable the base gives it, with values its configuration takes outside development mode', (service) => {
    // Throws on a ConfigMap, Secret or key the trial lacks.
    const env = kubernetesServiceEnv(service, objects);
    expect(Object.keys(env).sort()).toEqual(Object.keys(kubernetesServiceEnv(service)).sort());
    const config = loadConfig(COMMON_ENV, env);
    expect(config.HOOKLINE_DEV).toBe(false);
    // The services that seal (the query service does not read the key).
    if (env['SECRETS_ENCRYPTION_KEY'] !== undefined) {
      expect(() => parseSealingKeys(sealingKeyText(config), config.SECRETS_ENCRYPTION_PREVIOUS_KEYS)).not.toThrow();
    }
    // The command service's rule for its admin key (COMMAND_ENV; the query service takes the same key).
    if (env['ADMIN_API_KEY'] !== undefined) expect(env['ADMIN_API_KEY']).toMatch(/^.{24,}$/);
  });

  it("points KAFKA_BROKERS at the Kafka Service, on the port of the listener the broker advertises under its pod's name", () => {
    const brokers = kubernetesServiceEnv('dispatcher', objects)['KAFKA_BROKERS']?.split(',') ?? [];
    expect(brokers).toHaveLength(1);
    const [host, port] = brokers[0].split(':');
    const { service, set } = serviceAt(host);
    const container = setContainer(set.metadata.name);
    const env = envOf(container);
    const reached = portBehind(service, Number(port), container);
    expect(reached).toBeDefined();
    expect(listeners(env['KAFKA_LISTENERS']).find((l) => l.name === 'PLAINTEXT')?.port).toBe(reached);
    // After bootstrapping, clients connect to the advertised address: the one pod's own DNS name.
    expect(set.spec.replicas).toBe(1);
    expect(listeners(env['KAFKA_ADVERTISED_LISTENERS']))
      .toEqual([{ name: 'PLAINTEXT', host: `${set.metadata.name}-0.${dnsName(set.spec.serviceName)}`, port: reached }]);
    // The readiness probe's tool connects to the advertised address too, so it must resolve before the pod is ready.
    expect(find<Service>('Service', set.spec.serviceName).spec.publishNotReadyAddresses).toBe(true);
    expect(probedPort(container, container.readinessProbe ?? {})).toBe(reached);
  });

  it('points DATABASE_URL at the Postgres Service and port, as the user, with the password, of the database Postgres creates', () => {
    const url = new URL(kubernetesServiceEnv('dispatcher', objects)['DATABASE_URL'] ?? '');
    const { service, set } = serviceAt(url.hostname);
    const container = setContainer(set.metadata.name);
    const env = envOf(container);
    const reached = portBehind(service, Number(url.port || 5432), container);
    expect(reached).toBeDefined();
    // The image's defaults: user postgres, database named after the user.
    const user = env['POSTGRES_USER'] ?? 'postgres';
    expect({ user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database: url.pathname.slice(1) })
      .toEqual({ user, password: env['POSTGRES_PASSWORD'], database: env['POSTGRES_DB'] ?? user });
    const readiness = container.readinessProbe?.exec?.command.join(' ') ?? '';
    expect(readiness).toMatch(new RegExp(`^pg_isready .*-U ${user}\\b`));
    expect(probedPort(container, container.readinessProbe ?? {})).toBe(reached);
  });

  it.each(Object.entries(TRIAL_SETS))('%s: runs the image docker-compose.yml runs as its %s', (set, composeService) => {
    const compose = parse(read('docker-compose.yml')) as { services: Record<string, { image?: string }> };
    expect(compose.services[composeService]?.image).toBeDefined();
    expect(setContainer(set).image).toBe(compose.services[composeService].image);
  });

  it.each(Object.keys(TRIAL_SETS))('%s: its serviceName is a headless Service that selects its pods; its data is in a folder of its volume claim', (name) => {
    const set = find<StatefulSet>('StatefulSet', name);
    const labels = set.spec.template.metadata.labels;
    expect(selects(set.spec.selector.matchLabels, labels)).toBe(true);
    const governing = find<Service>('Service', set.spec.serviceName);
    expect({ clusterIP: governing.spec.clusterIP, selects: selects(governing.spec.selector, labels) }).toEqual({ clusterIP: 'None', selects: true });
    const claims = (set.spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name);
    const mounts = (setContainer(name).volumeMounts ?? []).filter((m) => claims.includes(m.name));
    expect(mounts).toHaveLength(1);
    // A folder of the volume, not its root: a volume's root may hold lost+found, which initdb and Kafka refuse.
    expect(envOf(setContainer(name))[DATA_DIR_VARIABLES[name]]).toMatch(new RegExp(`^${mounts[0].mountPath}/[^/]+$`));
  });

  it.each(Object.keys(TRIAL_SETS))('%s: every probe asks a port the container declares', (name) => {
    const container = setContainer(name);
    const probes = [container.startupProbe, container.livenessProbe, container.readinessProbe].filter((p): p is HttpProbe => p !== undefined);
    expect(container.readinessProbe).toBeDefined();
    for (const probe of probes) expect({ probe, port: probedPort(container, probe) }).toEqual({ probe, port: expect.any(Number) });
  });

  it("keeps the broker's heap well inside its memory limit, and the readiness probe's JVM off the broker's heap settings", () => {
    const container = setContainer('kafka');
    const { requests = {}, limits = {} } = container.resources ?? {};
    const limit = bytes(limits['memory'] ?? '');
    expect(bytes(requests['memory'] ?? '')).toBeLessThanOrEqual(limit);
    // Without KAFKA_HEAP_OPTS, kafka-server-start.sh takes 1 GiB; metaspace, threads and buffers live beside the heap.
    const heap = bytes(/-Xmx(\S+)/.exec(envOf(container)['KAFKA_HEAP_OPTS'] ?? '')?.[1] ?? '');
    // The probe's tool is a second JVM in the container, which would otherwise take the broker's KAFKA_HEAP_OPTS.
    const probeHeap = bytes(/KAFKA_HEAP_OPTS=\S*-Xmx(\S+)/.exec(container.readinessProbe?.exec?.command.join(' ') ?? '')?.[1] ?? '');
    expect(heap + probeHeap).toBeLessThanOrEqual(limit * 0.75);
  });

  it("keeps the variables Kubernetes adds for Services out of the broker's settings (the image makes every KAFKA_* one a setting)", () => {
    expect(find<StatefulSet>('StatefulSet', 'kafka').spec.template.spec.enableServiceLinks).toBe(false);
  });
});
