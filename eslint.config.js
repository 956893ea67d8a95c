// Lint: the import direction of STYLE.md §1 (shared ← embedded-server ← main; shared ← renderer),
// one public entry per area, plus the recommended TypeScript rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const outside = (folders, why) => ({
  'no-restricted-imports': ['error', {
    patterns: folders.map((folder) => ({
      group: [`**/${folder}/**`, `**/${folder}`],
      message: `import-boundary: ${why}`,
    })),
  }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-electron/**', 'release/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/embedded-server/**', '**/main/**', '**/renderer/**', '**/test/**', '**/bench/**'], message: 'import-boundary: shared/ imports nothing outside itself (STYLE.md §1)' },
          { group: ['node:*', 'fs', 'net', 'http', 'path', 'child_process', 'os', 'crypto'], message: 'import-boundary: shared/ has no Node imports (STYLE.md §1)' },
        ],
      }],
    },
  },
  {
    files: ['embedded-server/**/*.ts'],
    ignores: ['embedded-server/**/*.test.ts'],
    rules: outside(['main', 'renderer', 'test', 'bench'], 'embedded-server/ may import only shared/ (STYLE.md §1)'),
  },
  {
    // Unit tests beside the code may use the shared test support, nothing else outside.
    files: ['embedded-server/**/*.test.ts'],
    rules: outside(['main', 'renderer', 'bench'], 'embedded-server/ may import only shared/ (STYLE.md §1)'),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts', 'renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/embedded-server/**', '**/main/**', '**/test/**', '**/bench/**'], message: 'import-boundary: the renderer imports only shared/ and browser code (STYLE.md §1)' },
          { group: ['node:*', 'fs', 'net', 'http', 'path', 'child_process', 'os', 'crypto', 'ws'], message: 'import-boundary: no Node modules in the renderer (STYLE.md §1)' },
        ],
      }],
    },
  },
  {
    // Electron main (STYLE.md §1): shared/ and the cluster's one public entry; `electron` only in the adapter.
    files: ['main/**/*.ts'],
    ignores: ['main/**/*.test.ts', 'main/**/*.test-helper.ts', 'main/settings/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/embedded-server/**', '!**/embedded-server/index.js', '**/renderer/**', '**/test/**', '**/bench/**'],
          message: 'import-boundary: main/ may import only shared/ and embedded-server/index.js (STYLE.md §1)',
        }],
        paths: [{ name: 'electron', message: 'import-boundary: only main/electron-adapter.ts imports electron; the rest runs under plain Node in tests (TOOLCHAIN.md §1.4)' }],
      }],
    },
  },
  {
    files: ['main/electron-adapter.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/embedded-server/**', '!**/embedded-server/index.js', '**/renderer/**', '**/test/**', '**/bench/**'],
          message: 'import-boundary: main/ may import only shared/ and embedded-server/index.js (STYLE.md §1)',
        }],
      }],
    },
  },
  {
    // Preloads and the settings page run in a renderer: electron (preloads) and shared/ types, nothing else.
    files: ['main/preload/**/*.cts', 'main/settings/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^(?!electron$|(\\.\\./)+shared/)',
          message: 'import-boundary: a preload (and the settings page) may import only shared/ (and electron in a preload) (STYLE.md §1)',
        }],
      }],
    },
  },
  {
    // A .cts preload under verbatimModuleSyntax loads electron with `import x = require(…)` (TOOLCHAIN.md §3).
    files: ['main/preload/**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/embedded-server/*/**', '!**/embedded-server/index.js', '!**/embedded-server/testing.js'],
          message: 'import-boundary: reach the cluster through embedded-server/index.ts (one public entry per area, STYLE.md §1)',
        }],
      }],
    },
  },
);
