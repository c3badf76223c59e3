// Pod Security Standards levels of a pod spec (Kubernetes 1.33 baseline and restricted profiles).
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image']);

function containersOf(spec: V1PodSpec): V1Container[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

/** Violations of the baseline profile, as short sentences. */
export function baselineViolations(spec: V1PodSpec): string[] {
  const out: string[] = [];
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) out.push('uses a host namespace');
  for (const v of spec.volumes ?? []) if (v.hostPath) out.push(`volume ${v.name} is a hostPath`);
  for (const c of containersOf(spec)) {
    const sc = c.securityContext;
    if (sc?.privileged) out.push(`container ${c.name} is privileged`);
    for (const cap of sc?.capabilities?.add ?? []) if (!BASELINE_CAPABILITIES.has(cap)) out.push(`container ${c.name} adds ${cap}`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`container ${c.name} uses hostPort ${p.hostPort}`);
    if (sc?.seccompProfile?.type === 'Unconfined') out.push(`container ${c.name} runs seccomp Unconfined`);
  }
  return out;
}

/** Violations of the restricted profile on top of baseline, as short sentences. */
export function restrictedViolations(spec: V1PodSpec): string[] {
  const out = baselineViolations(spec);
  const pod = spec.securityContext;
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type)) out.push(`volume ${v.name} has restricted-forbidden type ${type}`);
  }
  if (pod?.runAsUser === 0) out.push('pod runs as uid 0');
  for (const c of containersOf(spec)) {
    const sc = c.securityContext;
    if (sc?.allowPrivilegeEscalation !== false) out.push(`container ${c.name} does not set allowPrivilegeEscalation: false`);
    if ((sc?.runAsNonRoot ?? pod?.runAsNonRoot) !== true) out.push(`container ${c.name} does not set runAsNonRoot: true`);
    if (sc?.runAsUser === 0) out.push(`container ${c.name} runs as uid 0`);
    const seccomp = sc?.seccompProfile?.type ?? pod?.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`container ${c.name} has no RuntimeDefault seccomp profile`);
    if (!(sc?.capabilities?.drop ?? []).includes('ALL')) out.push(`container ${c.name} does not drop ALL capabilities`);
    for (const cap of sc?.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`container ${c.name} adds ${cap}`);
  }
  return out;
}

/** The strictest level this pod spec passes. */
export function podSecurityLevel(spec: V1PodSpec): PodSecurityLevel {
  if (restrictedViolations(spec).length === 0) return 'restricted';
  return baselineViolations(spec).length === 0 ? 'baseline' : 'privileged';
}

const ORDER: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

/** The strictest level that every one of `levels` passes (restricted when there are none). */
export function weakestLevel(levels: readonly PodSecurityLevel[]): PodSecurityLevel {
  return levels.reduce<PodSecurityLevel>((acc, l) => (ORDER.indexOf(l) > ORDER.indexOf(acc) ? l : acc), 'restricted');
}
