// Settings of the websocket component: the Oro websocket server Deployment.
import { z } from 'zod';
import { positiveInt, resources } from '../../scripts/lib/environment/fields.ts';

export const websocketSettings = z
  .strictObject({
    replicas: positiveInt.default(1),
    resources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '300m', memory: '256Mi' } }),
  })
  .prefault({});
