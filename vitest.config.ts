import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous, for a loaded machine (npm run test:load): a test waits for conditions, with
    // its own bounds (test/wait.ts, 30 s by default) that report what was awaited; these only
    // catch what still hangs.
    testTimeout: 60000,
    hookTimeout: 60000,
    pool: 'forks',
  },
});
