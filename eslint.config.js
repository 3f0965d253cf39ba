import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

/** The engine gets time, randomness, transport and storage injected (DESIGN.md): this rule keeps it so. */
const engineRestrictions = {
  'no-restricted-globals': [
    'error',
    { name: 'window', message: 'The engine never touches the DOM.' },
    { name: 'document', message: 'The engine never touches the DOM.' },
    { name: 'self', message: 'The engine never touches Worker globals.' },
    { name: 'postMessage', message: 'Use the injected Transport.' },
    { name: 'indexedDB', message: 'Use the injected CheckpointStorage.' },
    { name: 'setTimeout', message: 'Use the injected Clock.' },
    { name: 'setInterval', message: 'Use the injected Clock.' },
    { name: 'clearTimeout', message: 'Use the injected Clock.' },
    { name: 'performance', message: 'Use the injected Clock.' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Use the injected Clock.' },
    { object: 'Math', property: 'random', message: 'Use the injected Random.' },
  ],
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['idb', 'svelte', 'svelte/*', 'd3', 'd3-*'], message: 'The engine is pure: no storage, DOM or drawing libraries.' },
        // A regex, not a glob: globs never match relative specifiers such as '../../runtime/sim/x'.
        { regex: '(^|/)(runtime|ui|storage|machines)(/|$)', message: 'Imports flow one way: runtime/, ui/, storage/ and machines/ use the engine, never the reverse.' },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'bench/dist/', 'bench/dist-*/', 'bench/dist-ui/', '.e2e-dist/', 'node_modules/', 'bench/results/', 'test-results/', 'playwright-report/', '.svelte-kit/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['src/engine/**/*.ts'],
    // Tests and their fixtures may drive the engine through a runtime.
    ignores: ['src/engine/**/*.test.ts', 'src/engine/**/*.fixture.ts'],
    rules: engineRestrictions,
  },
);
