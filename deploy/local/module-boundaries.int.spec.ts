import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// The architecture's boundaries are lint errors: these imports must fail `nx run-many -t lint`.
const ROOT = path.resolve(__dirname, '..', '..');

function lintSource(relativeFile: string, source: string): string[] {
  const file = path.join(ROOT, relativeFile);
  writeFileSync(file, source);
  try {
    // ESLint runs as its own process: its flat config is an ES module, which jest's module loader can't import.
    let output: string;
    try {
      output = execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', file], { cwd: ROOT, encoding: 'utf8' });
    } catch (err) {
      output = (err as { stdout: string }).stdout;
    }
    const [result] = JSON.parse(output) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
    return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  } finally {
    rmSync(file, { force: true });
  }
}

describe('module boundaries (@nx/enforce-module-boundaries)', () => {
  beforeAll(() => {
    // The rule reads Nx's project graph; compute it as `nx run-many -t lint` does.
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'show', 'projects'], { cwd: ROOT, stdio: 'ignore' });
  }, 120_000);

  it('refuses a deep import into a lib past its index.ts', () => {
    const errors = lintSource('libs/domain/src/zz-deep-import.ts', "import { topicNames } from '../../contracts/src/topics';\nexport const x = topicNames;\n");
    expect(errors.join('\n')).toMatch(/relative or absolute path/);
  });

  it('refuses an app importing another app', () => {
    const errors = lintSource('apps/dispatcher/src/zz-app-import.ts', "import { COMMAND_ENV } from '../../command-service/src/config';\nexport const x = COMMAND_ENV;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('refuses a domain lib depending on a data-access lib (layers point inwards)', () => {
    const errors = lintSource('libs/domain/src/zz-layer.ts', "import { createKafka } from '@hookline/kafka';\nexport const x = createKafka;\n");
    expect(errors.join('\n')).toMatch(/type:domain/);
  });

  it("lets a lib's tests use the shared test helpers, and refuses them to the lib's own code", () => {
    const source = "import { freePort } from '@hookline/testing';\nexport const x = freePort;\n";
    expect(lintSource('libs/net-guard/src/zz-helpers.spec.ts', source)).toEqual([]);
    expect(lintSource('libs/net-guard/src/zz-helpers.ts', source).join('\n')).toMatch(/type:util/);
  });

  it('accepts an import through the lib alias', () => {
    const errors = lintSource('libs/domain/src/zz-ok.ts', "import { topicNames } from '@hookline/contracts';\nexport const x = topicNames;\n");
    expect(errors).toEqual([]);
  });
});
