// Settings of the db component: the PostgreSQL StatefulSet `database-orocommerce`.
import { z } from 'zod';
import { image, resources, volume } from '../../scripts/lib/environment/fields.ts';

export const dbSettings = z
  .strictObject({
    /** The tag starts with PostgreSQL's major.minor: ORO_DB_DSN's serverVersion is read from it. */
    // renovate: datasource=docker depName=oroinc/pgsql
    image: image({ repository: 'oroinc/pgsql', tag: '17.2-alpine' }),
    /** Data volume from the StatefulSet's volumeClaimTemplate (seed: 8Gi). */
    storage: volume({ size: '8Gi', accessMode: 'ReadWriteOnce' }),
    /**
     * Seed 000's table (1Gi request, 2Gi limit). D-12 recommends limit = request for PostgreSQL, so a
     * memory-pressured node never evicts it first; set them equal in production environments.
     */
    resources: resources({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1000m', memory: '2Gi' } }),
    /** Database and role names (not secret); the passwords come from the secret store. */
    database: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('orodb'),
    user: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('orodbuser'),
  })
  .prefault({});
