// Settings for `npm run test:real`: the rendered output proven by the real programs that will run it
// (nginx, php-fpm, promtool, amtool, Lua 5.1, shellcheck, PostgreSQL, an S3 server). They must be
// installed (`bash scripts/ci/install-programs.sh`); a missing program fails its suite, never skips it.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/**/*.real.test.ts', 'scripts/**/*.real.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'reports/vitest-real.json' },
  },
});
