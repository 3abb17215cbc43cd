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
    // Message rows are read and written only through store/messages/ (its top comment says why): the chunks,
    // directories and id runs (schema version 10) must change together. Schema upgrades in mail-db.ts and the
    // tests of the store read the tables themselves.
    files: ['src/renderer/**/*.{ts,tsx}', 'src/integration/**/*.ts'],
    ignores: [
      'src/renderer/src/store/messages/**',
      'src/renderer/src/store/mail-db.ts',
      'src/renderer/src/store/mail-db.test.ts',
      'src/renderer/src/store/derived-rows.test.ts',
      'src/renderer/src/store/threads.test.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          'MemberExpression[property.name=/^(messages|messageChunks|messageFolders|messageIdRanges)$/][object.name=/^(db|fast|durable|tx|trans|mailDb)$/]',
          'MemberExpression[property.name=/^(messages|messageChunks|messageFolders|messageIdRanges)$/][object.property.name=/^(fast|durable|db)$/]',
          "CallExpression[callee.property.name='table'][arguments.0.value=/^(messages|messageChunks|messageFolders|messageIdRanges)$/]",
          'VariableDeclarator[init.name=/^(db|fast|durable)$/] > ObjectPattern > Property[key.name=/^(messages|messageChunks|messageFolders|messageIdRanges)$/]',
        ].map((selector) => ({
          selector,
          message: 'Message rows are read and written through src/renderer/src/store/messages/ only.',
        })),
      ],
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
