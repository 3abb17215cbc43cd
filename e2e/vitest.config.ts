import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname + '/..',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // The UI answers within milliseconds on a quiet machine; CI shares 2 cores with Dovecot, Postfix, the
    // core and Chromium, so polled UI states get a generous default.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
})
