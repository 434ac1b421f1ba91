/** The sandbox's own tests; the repository's `npm test` runs them as one of its Jest projects. */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'salesforce-sandbox',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  testTimeout: 30_000,
};
