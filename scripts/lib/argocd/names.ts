// The names the environment key produces for Argo CD objects and folders.
import type { Environment } from '../environment/schema.ts';

export const FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export const projectName = (env: Environment) => `orocommerce-${env.name}`;
export const rootApplicationName = (env: Environment) => `orocommerce-${env.name}`;
export const childApplicationName = (env: Environment, component: string) => `orocommerce-${env.name}-${component}`;
export const renderedPath = (env: Environment, folder: string) => `rendered/${env.name}/${folder}`;
