// Gives every object an explicit Argo CD sync wave: the component's, unless the component chose one.
import type { Transform } from './types.ts';

export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

export const addSyncWave: Transform = (objects, { wave }) =>
  objects.map((o) =>
    o.metadata.annotations?.[SYNC_WAVE] !== undefined
      ? o
      : { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [SYNC_WAVE]: String(wave) } } },
  );
