// Builds a fully defaulted Environment from a partial file, for unit tests of components and rules.
import { completeEnvironment, environmentFileSchema, type Environment, type EnvironmentFile } from './schema.ts';

/** A repository URL for tests: `.internal` is for private networks, so it is not refused as a placeholder. */
export const TEST_REPO_URL = 'https://git.internal/platform/orocommerce-gitops.git';

/** `testEnvironment('prod', { app: … })`: the same parsing and defaults as a real environment file. */
export function testEnvironment(name = 'test', file: Partial<EnvironmentFile> = {}): Environment {
  return completeEnvironment(name, environmentFileSchema.parse({ domain: `${name}.shop.example.com`, source: { repoURL: TEST_REPO_URL }, ...file }));
}
