/** Jest runs every tier (unit, integration, e2e) offline; @swc/jest transpiles without type-checking (tsc --noEmit does that). */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    // Native import() is kept so the global setup can load ESM-only emulators (fauxqs).
    module: { type: 'commonjs', ignoreDynamic: true },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  // Run-wide options: Jest reads these from here, not from a project.
  maxWorkers: 2,
  testTimeout: 30_000,
  projects: [
    {
      displayName: 'quote-sync',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.(t|j|mj)s$': swc },
      // @middy/*, the OpenAPI validator and jose ship ESM only; let swc turn them into CommonJS for the test runtime.
      transformIgnorePatterns: ['/node_modules/(?!(@middy|@seriousme|jose)/)'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    // The Salesforce sandbox's own tests, with its own configuration.
    '<rootDir>/packages/salesforce-sandbox',
  ],
};
