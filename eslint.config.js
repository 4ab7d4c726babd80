import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import layers from './eslint-rules/layers.js';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'test-results/**', 'node_modules/**', '.tsbuild/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { project: { rules: { layers } } },
    rules: {
      'project/layers': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      // Only matters under the React Compiler, which this app does not use; it flags react-virtual.
      'react-hooks/incompatible-library': 'off',
    },
  },
);
