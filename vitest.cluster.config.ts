// Settings for `npm run test:cluster`: every environment applied to a real kube-apiserver (built from
// upstream by scripts/ci/cluster.sh, or the cluster KUBECONFIG points at) and every cluster command run on it.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['scripts/**/*.cluster.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'reports/vitest-cluster.json' },
  },
});
