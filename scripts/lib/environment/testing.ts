// Builds a fully defaulted Environment from a partial file, for unit tests of components and rules.
import { completeEnvironment, environmentFileSchema, type Environment, type EnvironmentFile } from './schema.ts';

/** `testEnvironment('prod', { app: … })`: the same parsing and defaults as a real environment file. */
export function testEnvironment(name = 'test', file: Partial<EnvironmentFile> = {}): Environment {
  return completeEnvironment(name, environmentFileSchema.parse({ domain: `${name}.shop.example.com`, ...file }));
}
