// Test runner settings: every *.test.ts next to its source, hermetic (no network, no servers, no Go).
// *.real.test.ts (real third-party programs) and *.cluster.test.ts (a real API server) have their own
// configs and npm scripts: `npm run test:real`, `npm run test:cluster`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.real.test.ts', '**/*.cluster.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
