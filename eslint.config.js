// ESLint (flat config): typescript-eslint's type-aware recommended rules over the server, scripts and
// tests, and the plain recommended rules over the browser code (which tsconfig.web.json type-checks).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'db/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Fastify plugins and hooks are async by convention: an async function without await is intended.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // The repositories run on SQLite and PostgreSQL alike: awaited builders and database.rows(), never
    // better-sqlite3's synchronous execution, which PostgreSQL's driver does not have.
    files: ['src/repositories/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[arguments.length=0][callee.property.name=/^(get|all|run|values)$/]",
          message: 'SQLite-only execution: await the query builder instead (it runs on PostgreSQL too).',
        },
        {
          selector: "CallExpression[callee.object.name=/^(db|tx)$/][callee.property.name=/^(get|all|run|values|execute)$/]",
          message: 'Raw SQL goes through database.rows(query, tx), which both dialects implement.',
        },
      ],
    },
  },
  {
    // A response body in a test is whatever the server sent (supertest types it `any`); the tests assert on
    // it field by field, which is the point.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['src/web/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'module' },
    // follow-up.js is written for old phone browsers: no optional catch binding.
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
  {
    files: ['**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: globals.node, sourceType: 'module' },
  },
);
