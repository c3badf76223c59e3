// Settings of the pvcs component: one entry per shared Oro volume, keyed by the PVC name (seed 000).
import { z } from 'zod';
import { volume } from '../../scripts/lib/environment/fields.ts';

/**
 * Sizes follow the seed's table. Access modes default to ReadWriteMany because several workloads
 * (php-fpm with an HPA, nginx, websocket, consumer, cron) mount the same volumes on different nodes;
 * a single-node environment (`topology.singleNode: true`) may use ReadWriteOnce.
 */
export const pvcsSettings = z
  .strictObject({
    /** Storage class for every volume that does not name its own; the cluster default when absent. */
    storageClassName: z.string().min(1).optional(),
    'pvc-oro-app': volume({ size: '10Gi', accessMode: 'ReadWriteMany' }),
    'pvc-cache': volume({ size: '5Gi', accessMode: 'ReadWriteMany' }),
    'pvc-public-storage': volume({ size: '20Gi', accessMode: 'ReadWriteMany' }),
    'pvc-private-storage': volume({ size: '10Gi', accessMode: 'ReadWriteMany' }),
    'pvc-maintenance': volume({ size: '1Gi', accessMode: 'ReadWriteMany' }),
  })
  .prefault({});
