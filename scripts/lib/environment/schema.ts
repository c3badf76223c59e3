// The environment schema: one zod schema that is the runtime validator, the TS type and the JSON Schema.
import { z } from 'zod';
import { appSettings } from '../../../apps/app/settings.ts';
import { dbSettings } from '../../../apps/db/settings.ts';
import { initJobsSettings } from '../../../apps/init-jobs/settings.ts';
import { monitoringSettings } from '../../../apps/monitoring/settings.ts';
import { pvcsSettings } from '../../../apps/pvcs/settings.ts';
import { webSettings } from '../../../apps/web/settings.ts';
import { websocketAliasSettings } from '../../../apps/websocket-alias/settings.ts';
import { websocketSettings } from '../../../apps/websocket/settings.ts';
import { image, pinnedTag } from './fields.ts';
import { patchSchema } from './patches.ts';
import { repoUrl } from './repo-url.ts';

/**
 * An image that may float (`6.1-latest`) only because it carries a digest, which is what the kubelet pulls; a pinned
 * tag needs none. Tag and digest are one value: an environment that sets one must set both, so a new tag can never
 * run with the default's old digest.
 */
function runtimeImage(defaults: { repository: string; tag: string; digest: string }) {
  return z
    .strictObject({
      repository: z.string().regex(/^[a-z0-9][a-z0-9._\/-]*(:\d+)?[a-z0-9._\/-]*$/, 'an image repository such as oroinc/runtime').default(defaults.repository),
      tag: z.string().regex(/^[\w][\w.-]{0,127}$/, 'a Docker tag (letters, digits, `_`, `.`, `-`)'),
      digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, 'a digest of the form sha256:<64 hex>').optional(),
    })
    .refine((i) => i.digest !== undefined || pinnedTag.safeParse(i.tag).success, {
      message: 'a floating tag (`latest`, `*-latest`) needs its `digest: sha256:…`',
      path: ['digest'],
    })
    .default(defaults);
}

/** DNS-1123 label, short enough that `orocommerce-<env>` is still a valid namespace name. */
export const ENV_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,49}[a-z0-9])?$/;

/** `profiles/<name>` or `<name>`: what `extends:` may name (resolved under environments/). */
export const EXTENDS_PATTERN = /^(profiles\/)?[a-z0-9]([-a-z0-9]{0,49}[a-z0-9])?$/;

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1123 label (lowercase letters, digits, `-`)');
const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/, 'a lowercase DNS name such as shop.example.com');

/** What an environment may contain, after `extends:` is merged. Every field has a default except `domain` and `source.repoURL`. */
export const environmentFileSchema = z.strictObject({
  /**
   * A profile (`profiles/<name>`, from environments/profiles/<name>.yaml) or another environment
   * (`<name>`) whose values this file starts from; see environments/README.md for the merge order.
   */
  extends: z.string().regex(EXTENDS_PATTERN, 'a profile `profiles/<name>` or an environment `<name>`').optional(),
  destination: z
    .strictObject({
      /** API server URL of the target cluster as registered in Argo CD. */
      server: z.string().url().default('https://kubernetes.default.svc'),
      /** Namespace for every OroCommerce object; defaults to `orocommerce-<env>`. */
      namespace: dnsLabel.optional(),
    })
    .prefault({}),
  /** Required (usually through a profile): the git repository of your fork and the revision Argo CD syncs. */
  source: z.strictObject({
    /** Git URL of your fork of this repository, the one Argo CD pulls `rendered/` from; placeholders are refused. */
    repoURL: repoUrl,
    /** Branch, tag or commit Argo CD syncs `rendered/<env>` from. */
    targetRevision: z.string().min(1).default('main'),
  }),
  argocd: z
    .strictObject({
      /**
       * The cluster Argo CD runs in, as Argo CD addresses it: the Applications and the AppProject are
       * created there, while `destination.server` is where OroCommerce runs.
       */
      server: z.string().url().default('https://kubernetes.default.svc'),
      /** Namespace Argo CD runs in; Applications and the AppProject live there. */
      namespace: dnsLabel.default('argocd'),
    })
    .prefault({}),
  /** Kubernetes minor version the output is validated against (a folder under scripts/schemas/kubernetes/). */
  kubernetesVersion: z.string().regex(/^1\.\d{2}$/, 'a Kubernetes minor version such as 1.33').default('1.33'),
  /** Public host name of the shop. */
  domain: hostname,
  tls: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Secret holding the certificate (created by cert-manager or the secret store, never by this repo). */
      secretName: dnsLabel.default('orocommerce-tls'),
    })
    .prefault({}),
  topology: z
    .strictObject({
      /** All pods run on one node (a laptop cluster): ReadWriteOnce volumes may then be shared. */
      singleNode: z.boolean().default(false),
      /** Spread replicas across `topology.kubernetes.io/zone` and refuse to schedule when zones are missing. */
      zoneSpread: z.boolean().default(false),
      /**
       * Number of zones the cluster has; with zoneSpread, replicas must spread over all of them
       * (`minDomains`): while fewer zones have nodes, pods beyond one per zone stay Pending (so the
       * cluster autoscaler adds nodes in the missing zone) instead of piling into the others. Ignored
       * without zoneSpread.
       */
      zones: z.number().int().min(2).max(10).optional(),
    })
    .prefault({}),
  secrets: z
    .strictObject({
      /**
       * `external-secrets`: render ExternalSecrets against `store`.
       * `preexisting`: the Secrets are created out of band (see environments/README.md) and only referenced.
       */
      provider: z.enum(['external-secrets', 'preexisting']).default('external-secrets'),
      store: z
        .strictObject({
          kind: z.enum(['ClusterSecretStore', 'SecretStore']).default('ClusterSecretStore'),
          name: dnsLabel.default('orocommerce'),
        })
        .prefault({}),
      /** Path prefix of the keys in the store; defaults to `orocommerce/<env>`. */
      remotePrefix: z.string().min(1).optional(),
      refreshInterval: z.string().regex(/^\d+[smh]$/).default('1h'),
    })
    .prefault({}),
  oro: z
    .strictObject({
      // renovate: datasource=docker depName=oroinc/orocommerce-application
      image: image({ repository: 'oroinc/orocommerce-application', tag: '6.1.6' }),
      // renovate: datasource=docker depName=oroinc/orocommerce-application-init
      initImage: image({ repository: 'oroinc/orocommerce-application-init', tag: '6.1.6' }),
      /**
       * The image of the long-running roles (php-fpm, nginx, websocket, consumer, cron), as Oro 6.1's own Compose
       * runs them (oroinc/docker-demo, commit "Update for 6.1"); the code itself comes from pvc-oro-app. The digest
       * is the one a third party's `docker images --digests` showed for `6.1-latest` on 2026-09-06
       * (github.com/aniruddhadeshpande/oro_study, logs/phase5-image-digests-20260906T190024.log); Renovate
       * replaces it when Oro moves the tag.
       */
      // renovate: datasource=docker depName=oroinc/runtime
      runtimeImage: runtimeImage({ repository: 'oroinc/runtime', tag: '6.1-latest', digest: 'sha256:95777d7291f3a9856c6b3a559c2e183b00c6053744fdd1adcab3513812db4706' }),
      /** `ORO_ENV`: `prod` or `dev`. */
      env: z.enum(['prod', 'dev']).default('prod'),
      /**
       * Numeric uid/gid of `www-data` in Oro's images; Kubernetes needs numbers to enforce non-root. Oro does not
       * publish them for 6.1: 2002/2001 is what its 6.0 Dockerfile created (Debian's 33 does not exist on Oracle
       * Linux). The first init job compares them with every image the pods run and fails, naming these settings,
       * when they differ (apps/init-jobs/identity.ts).
       */
      uid: z.number().int().min(1).default(2002),
      gid: z.number().int().min(1).default(2001),
    })
    .prefault({}),
  pvcs: pvcsSettings,
  db: dbSettings,
  'init-jobs': initJobsSettings,
  app: appSettings,
  websocket: websocketSettings,
  'websocket-alias': websocketAliasSettings,
  web: webSettings,
  monitoring: monitoringSettings,
  /** Escape hatch for what the typed values do not cover; a patch that matches nothing is an error. */
  patches: z.array(patchSchema).default([]),
});

export type EnvironmentFile = z.input<typeof environmentFileSchema>;

/** A loaded environment: the file's values with every default applied and derived names filled in. */
export type Environment = Omit<z.output<typeof environmentFileSchema>, 'destination' | 'secrets'> & {
  /** The file name without `.yaml`: the key reused for rendered/<env>, Application names and the namespace. */
  name: string;
  destination: { server: string; namespace: string };
  secrets: z.output<typeof environmentFileSchema>['secrets'] & { remotePrefix: string };
};

/** Fills the values derived from the environment name. Pure: the caller has already validated `parsed`. */
export function completeEnvironment(name: string, parsed: z.output<typeof environmentFileSchema>): Environment {
  return {
    ...parsed,
    name,
    destination: { ...parsed.destination, namespace: parsed.destination.namespace ?? `orocommerce-${name}` },
    secrets: { ...parsed.secrets, remotePrefix: parsed.secrets.remotePrefix ?? `orocommerce/${name}` },
  };
}
