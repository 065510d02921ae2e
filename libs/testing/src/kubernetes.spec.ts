import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kubernetesServiceEnv } from './kubernetes';

describe('kubernetesServiceEnv', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hookline-k8s-'));
    writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [config.yaml, app.yaml]\n');
    writeFileSync(path.join(dir, 'config.yaml'), [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: shared }', 'data: { LOG_LEVEL: info, PORT: "1" }', '---',
      'apiVersion: v1', 'kind: Secret', 'metadata: { name: creds }', `data: { TOKEN: ${Buffer.from('from-data').toString('base64')} }`,
      'stringData: { DATABASE_URL: "postgres://x/y" }', '',
    ].join('\n'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // JSON is YAML too.
  const deployment = (container: object) => writeFileSync(path.join(dir, 'app.yaml'),
    JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app' }, spec: { template: { spec: { containers: [container] } } } }));
  const secretKey = (key: string, optional?: boolean) => ({ valueFrom: { secretKeyRef: { name: 'creds', key, optional } } });

  it('takes every key of envFrom, then env over it, with secretKeyRef, configMapKeyRef and fieldRef resolved', () => {
    deployment({
      name: 'app',
      envFrom: [{ configMapRef: { name: 'shared' } }, { secretRef: { name: 'creds' }, prefix: 'S_' }],
      env: [
        { name: 'PORT', value: '3000' },
        { name: 'URL', ...secretKey('DATABASE_URL') },
        { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'shared', key: 'LOG_LEVEL' } } },
        { name: 'INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
    });
    expect(kubernetesServiceEnv('app', dir)).toEqual({
      LOG_LEVEL: 'info', PORT: '3000', S_TOKEN: 'from-data', S_DATABASE_URL: 'postgres://x/y', URL: 'postgres://x/y', LEVEL: 'info',
      INSTANCE_ID: '<metadata.name>',
    });
  });

  it('refuses a reference to a ConfigMap, Secret or key no manifest has, unless it is optional', () => {
    deployment({ name: 'app', envFrom: [{ configMapRef: { name: 'missing' } }] });
    expect(() => kubernetesServiceEnv('app', dir)).toThrow(/ConfigMap "missing"/);
    deployment({ name: 'app', env: [{ name: 'X', ...secretKey('NOPE') }] });
    expect(() => kubernetesServiceEnv('app', dir)).toThrow(/key NOPE of "creds"/);
    deployment({ name: 'app', envFrom: [{ secretRef: { name: 'missing', optional: true } }], env: [{ name: 'X', ...secretKey('NOPE', true) }] });
    expect(kubernetesServiceEnv('app', dir)).toEqual({});
  });

  it('refuses a value kubectl would refuse (a number), and a service without its Deployment or container', () => {
    deployment({ name: 'app', env: [{ name: 'PORT', value: 3000 }] });
    expect(() => kubernetesServiceEnv('app', dir)).toThrow(/PORT is not a string/);
    expect(() => kubernetesServiceEnv('other', dir)).toThrow(/no manifest defines a Deployment "other"/);
    deployment({ name: 'sidecar' });
    expect(() => kubernetesServiceEnv('app', dir)).toThrow(/no container "app"/);
  });
});
