// The fixed install order of the seeds, as Argo CD sync waves of the child Applications.
import type { ComponentName } from '../scripts/lib/component.ts';

/** PVCs → database → init jobs → app → websocket → websocket alias → web → monitoring. */
export const WAVES: Readonly<Record<ComponentName, number>> = {
  pvcs: 0,
  db: 1,
  'init-jobs': 2,
  app: 3,
  websocket: 4,
  'websocket-alias': 5,
  web: 6,
  monitoring: 7,
};
