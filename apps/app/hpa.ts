// php-fpm's HorizontalPodAutoscaler: CPU and memory targets from the settings, with an explicit scaling behaviour (D-17).
import type { V2HorizontalPodAutoscaler, V2MetricSpec } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { typed } from '../lib/objects.ts';
import { PHP_FPM_NAME } from './php-fpm.ts';
import { phpFpmSelector } from './php-fpm-service.ts';

function utilization(name: 'cpu' | 'memory', averageUtilization: number): V2MetricSpec {
  return { type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } };
}

/**
 * Up fast but bounded (two pods a minute, a cold pod warms its caches first); down slowly, one pod a
 * minute after five minutes of lower load, so a lull between bursts does not throw warm pods away.
 */
export function phpFpmAutoscaler(env: Environment): Manifest<V2HorizontalPodAutoscaler> {
  const hpa = env.app['php-fpm'].hpa;
  return typed<V2HorizontalPodAutoscaler>('autoscaling/v2', 'HorizontalPodAutoscaler', {
    metadata: { name: PHP_FPM_NAME, labels: phpFpmSelector(env) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: PHP_FPM_NAME },
      minReplicas: hpa.minReplicas,
      maxReplicas: hpa.maxReplicas,
      metrics: [utilization('cpu', hpa.cpuUtilization), utilization('memory', hpa.memoryUtilization)],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
      },
    },
  });
}
