import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Document, parseAllDocuments } from 'yaml';

/** deploy/kubernetes/base, the kustomize base (libs/testing/src → ../../..). */
export const KUBERNETES_DIR = path.resolve(__dirname, '..', '..', '..', 'deploy', 'kubernetes', 'base');

/** One object of a manifest, as far as these helpers look into it. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** An object and the file of deploy/kubernetes/base it is written in. */
export interface KubernetesManifest {
  file: string;
  object: KubernetesObject;
}

interface KeyRef { name: string; key: string; optional?: boolean }
interface Container {
  name: string;
  env?: Array<{ name: string; value?: unknown; valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef; fieldRef?: { fieldPath: string } } }>;
  envFrom?: Array<{ prefix?: string; configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }>;
}

/** Every object of every manifest in `dir` (all `.yaml` files but kustomization.yaml), in file order. */
export function kubernetesManifests(dir = KUBERNETES_DIR): KubernetesManifest[] {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml').sort();
  return files.flatMap((file) => {
    const docs: Document[] = parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'));
    return docs.flatMap((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
      const object = doc.toJS() as KubernetesObject | null;
      return object ? [{ file, object }] : [];
    });
  });
}

/** A ConfigMap's or Secret's keys and values (a Secret's `data` base64-decoded, its `stringData` over it). */
function dataOf(object: KubernetesObject): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (entries: unknown, decode: (v: string) => string) => {
    for (const [key, value] of Object.entries((entries ?? {}) as Record<string, unknown>)) {
      // kubectl refuses a number or a boolean here; a test should too.
      if (typeof value !== 'string') throw new Error(`${object.kind} ${object.metadata.name}: ${key} is not a string (quote it)`);
      out[key] = decode(value);
    }
  };
  add(object['data'], object.kind === 'Secret' ? (v) => Buffer.from(v, 'base64').toString('utf8') : (v) => v);
  if (object.kind === 'Secret') add(object['stringData'], (v) => v);
  return out;
}

/**
 * The environment the container of `service` (the container of that name in the Deployment of that name) gets from
 * the manifests in `from`, a folder (deploy/kubernetes/base) or objects already read (an overlay as kustomize builds
 * it): every ConfigMap and Secret of its `envFrom`, then its `env` list over them, as the kubelet does, each reference
 * resolved from those manifests (in the base, secret.example.yaml stands for the Secret users create). A
 * downward-API field stands as `<fieldPath>`, e.g. `<metadata.name>`. Throws on a reference to a ConfigMap, Secret or
 * key no manifest defines (unless the reference is optional), and on a value that is not a string.
 */
export function kubernetesServiceEnv(service: string, from: string | KubernetesObject[] = KUBERNETES_DIR): Record<string, string> {
  const objects = typeof from === 'string' ? kubernetesManifests(from).map((m) => m.object) : from;
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === service) as
    | (KubernetesObject & { spec: { template: { spec: { containers: Container[] } } } })
    | undefined;
  if (!deployment) throw new Error(`no manifest defines a Deployment "${service}"`);
  const container = deployment.spec.template.spec.containers.find((c) => c.name === service);
  if (!container) throw new Error(`Deployment ${service} has no container "${service}"`);

  const source = (kind: 'ConfigMap' | 'Secret', name: string, optional: boolean | undefined): Record<string, string> => {
    const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!object && !optional) throw new Error(`Deployment ${service} reads ${kind} "${name}", which no manifest defines`);
    return object ? dataOf(object) : {};
  };
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const data = from.configMapRef
      ? source('ConfigMap', from.configMapRef.name, from.configMapRef.optional)
      : source('Secret', from.secretRef?.name ?? '', from.secretRef?.optional);
    for (const [key, value] of Object.entries(data)) env[`${from.prefix ?? ''}${key}`] = value;
  }
  for (const { name, value, valueFrom } of container.env ?? []) {
    if (valueFrom?.fieldRef) {
      env[name] = `<${valueFrom.fieldRef.fieldPath}>`;
      continue;
    }
    const ref = valueFrom?.configMapKeyRef ?? valueFrom?.secretKeyRef;
    if (ref) {
      const data = source(valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret', ref.name, ref.optional);
      if (ref.key in data) env[name] = data[ref.key];
      else if (!ref.optional) throw new Error(`Deployment ${service}: ${name} reads key ${ref.key} of "${ref.name}", which has none`);
      continue;
    }
    if (value !== undefined && typeof value !== 'string') throw new Error(`Deployment ${service}: ${name} is not a string (quote it)`);
    env[name] = value ?? '';
  }
  return env;
}

/**
 * The tests a service's config.spec.ts runs on what deploy/kubernetes (its base) gives it: only variables the service reads
 * (`spec`, its env spec), and every one it needs: `load`, its own config loader plus any check its start-up makes on
 * the result, takes the environment without error, outside development mode.
 */
export function describeKubernetesEnv(service: string, spec: object, load: (env: NodeJS.ProcessEnv) => { HOOKLINE_DEV: boolean }): void {
  describe(`deploy/kubernetes for the ${service}`, () => {
    it(`sets only variables the ${service} reads`, () => {
      expect(Object.keys(kubernetesServiceEnv(service)).filter((name) => !(name in spec))).toEqual([]);
    });

    it(`sets every variable the ${service} needs: its configuration loads, outside development mode`, () => {
      expect(load(kubernetesServiceEnv(service)).HOOKLINE_DEV).toBe(false);
    });
  });
}
