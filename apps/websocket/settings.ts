// Settings of the websocket component: the Oro websocket server Deployment.
import { z } from 'zod';
import { resources } from '../../scripts/lib/environment/fields.ts';

export const websocketSettings = z
  .strictObject({
    /**
     * At most 1: the server keeps its subscriptions in memory and PHP publishes to one pod through the
     * Service, so browsers connected to a second replica would miss the messages.
     */
    replicas: z.number().int().min(1).max(1, 'the websocket server keeps its subscriptions in memory: run one replica').default(1),
    resources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '300m', memory: '256Mi' } }),
  })
  .prefault({});
