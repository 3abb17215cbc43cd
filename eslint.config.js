import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

// Layering as in DESIGN.md: shared imports nothing platform-specific, the renderer never imports Node or core,
// core never imports Electron or the UI.
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'e2e-output/**', 'bench-output/**', '.lab/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([
        {
          group: ['node:*', 'electron', '**/core/**', '**/main/**', '**/web/**', '**/lab/**'],
          message: 'The renderer runs in a browser: no Node, Electron or core imports.',
        },
      ]),
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict([
      {
        group: ['node:*', 'electron', 'react', '**/core/**', '**/main/**', '**/renderer/**', '**/web/**'],
        message: 'shared/ imports nothing platform-specific.',
      },
    ]),
  },
  {
    files: ['src/core/**/*.ts'],
    rules: restrict([
      {
        group: ['electron', 'react', '**/renderer/**', '**/main/**'],
        message: 'core/ is Electron-free and UI-free.',
      },
    ]),
  },
)
