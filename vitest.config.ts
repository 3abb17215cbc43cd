import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
          exclude: ['src/**/*.lab.test.ts', 'node_modules/**'],
          environment: 'node',
          // Generous: CI shares 2 cores with Chromium and the lab; a hang still fails, a slow moment does not.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'lab',
          include: ['src/**/*.lab.test.ts'],
          globalSetup: ['src/lab/vitest-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          expect: { poll: { timeout: 15_000, interval: 100 } },
        },
      },
    ],
  },
})
