import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Module boundaries are the architecture made executable: an app never imports another app, a lib is reached only
// through its index.ts (alias @hookline/<lib>), and layers only point inwards (app → data-access → domain → util).
export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', '.nx/**', 'bench/results/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries({ tests: false })],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // A lib's own tests may use the shared test helpers (@hookline/testing); its code may not.
    files: ['**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', moduleBoundaries({ tests: true })] },
  },
];

/** The rule's options; `tests`: for test files, which may also depend on libs tagged type:testing. */
function moduleBoundaries({ tests }) {
  const testing = tests ? ['type:testing'] : [];
  return {
    enforceBuildableLibDependency: false,
    // deploy/local/services.js is the process launcher of `npm start`; the end-to-end tests of other deploy/ folders
    // start the stack with it too. Nothing else may reach into another project by path.
    allow: ['../../local/services'],
    banTransitiveDependencies: false,
    depConstraints: [
      { sourceTag: 'scope:command', onlyDependOnLibsWithTags: ['scope:command', 'scope:shared'] },
      { sourceTag: 'scope:dispatcher', onlyDependOnLibsWithTags: ['scope:dispatcher', 'scope:shared'] },
      { sourceTag: 'scope:query', onlyDependOnLibsWithTags: ['scope:query', 'scope:shared'] },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:bench', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util', 'type:testing'] },
      { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util', ...testing] },
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util', ...testing] },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:domain', ...testing] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util', 'type:testing'] },
    ],
  };
}
