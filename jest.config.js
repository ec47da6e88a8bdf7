// Two projects: unit tests fake boundaries; integration tests need the real Operaton engine and run in band.
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
};

export default {
  // A slow machine is no failure: performance is shown by `npm run bench`, never by a test's time limit.
  testTimeout: 30_000,
  // Jest's default leaves one core idle (cores - 1: a single worker on 2 cores); the unit suite is CPU-bound.
  maxWorkers: '100%',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.mjs',
      globalTeardown: '<rootDir>/test/integration/global-teardown.mjs',
    },
    // Faults on the real engine: each spec starts, kills and restarts its own engines (and processes) on ports, data
    // directories and scratch databases of its own, so no global setup, and two specs run side by side: most of a
    // spec's time is spent waiting for engines and processes to start or stop.
    { ...common, displayName: 'reliability', testMatch: ['<rootDir>/test/reliability/**/*.spec.ts'] },
  ],
};
