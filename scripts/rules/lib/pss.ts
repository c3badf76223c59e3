// Pod Security Standards "restricted" (which includes "baseline") as of Kubernetes 1.33, after pod-security-admission's check_*.go.
import { arr, rec, str, type Json } from './access.ts';
import { containers, type PodTemplate } from './workloads.ts';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface Violation {
  path: string;
  message: string;
  /** The profile the violated control belongs to: breaking a baseline control also breaks restricted. */
  profile: 'baseline' | 'restricted';
}

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
]);
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image']);
const SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const CONFINED_PROFILES = new Set(['RuntimeDefault', 'Localhost']);
const LEGACY_APPARMOR = 'container.apparmor.security.beta.kubernetes.io/';

type Report = (path: string, message: string) => void;

/** Checks a pod-level and a container-level securityContext share. */
function sharedContext(sc: Json, path: string, report: Report): void {
  if (rec(sc.windowsOptions).hostProcess === true) report(`${path}.windowsOptions.hostProcess`, 'Windows HostProcess is not allowed (baseline)');
  const selinux = rec(sc.seLinuxOptions);
  const type = str(selinux.type);
  if (type !== undefined && type !== '' && !SELINUX_TYPES.has(type)) report(`${path}.seLinuxOptions.type`, `SELinux type ${type} is not allowed (baseline)`);
  for (const field of ['user', 'role']) if (str(selinux[field])) report(`${path}.seLinuxOptions.${field}`, `SELinux ${field} must be unset (baseline)`);
  if (rec(sc.seccompProfile).type === 'Unconfined') report(`${path}.seccompProfile.type`, 'seccomp Unconfined is not allowed (baseline)');
  const appArmor = str(rec(sc.appArmorProfile).type);
  if (appArmor !== undefined && !CONFINED_PROFILES.has(appArmor)) report(`${path}.appArmorProfile.type`, `AppArmor ${appArmor} is not allowed (baseline)`);
}

function podLevel(t: PodTemplate, report: Report): void {
  const { spec, specPath } = t;
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[field] === true) report(`${specPath}.${field}`, `${field} shares the node's namespace (baseline)`);
  const sc = rec(spec.securityContext);
  sharedContext(sc, `${specPath}.securityContext`, report);
  arr(sc.sysctls).forEach((s, i) => {
    const name = str(rec(s).name) ?? '';
    if (!SAFE_SYSCTLS.has(name)) report(`${specPath}.securityContext.sysctls[${i}].name`, `sysctl ${name} is not in the safe set (baseline)`);
  });
  arr(spec.volumes).forEach((v, i) => {
    for (const type of Object.keys(rec(v)).filter((k) => k !== 'name')) {
      if (type === 'hostPath') report(`${specPath}.volumes[${i}].hostPath`, 'hostPath volumes are not allowed (baseline)');
      else if (!RESTRICTED_VOLUME_TYPES.has(type)) report(`${specPath}.volumes[${i}].${type}`, `volume type ${type} is not allowed (restricted)`);
    }
  });
  for (const [key, value] of Object.entries(t.annotations)) {
    if (key.startsWith(LEGACY_APPARMOR) && value !== 'runtime/default' && !value.startsWith('localhost/')) {
      report(`${specPath.replace(/spec$/, 'metadata')}.annotations.${key}`, `AppArmor ${value} is not allowed (baseline)`);
    }
  }
}

function handlerHosts(c: Json, path: string, report: Report): void {
  const handlers: Array<[string, unknown]> = [
    ['livenessProbe', c.livenessProbe], ['readinessProbe', c.readinessProbe], ['startupProbe', c.startupProbe],
    ['lifecycle.postStart', rec(c.lifecycle).postStart], ['lifecycle.preStop', rec(c.lifecycle).preStop],
  ];
  for (const [name, handler] of handlers) {
    for (const action of ['httpGet', 'tcpSocket']) {
      if (str(rec(rec(handler)[action]).host)) report(`${path}.${name}.${action}.host`, 'probe and lifecycle handlers may not target another host (baseline)');
    }
  }
}

export function podSecurityViolations(t: PodTemplate): Violation[] {
  const out: Violation[] = [];
  const report: Report = (path, message) => out.push({ path, message, profile: /\(baseline[):]/.test(message) ? 'baseline' : 'restricted' });
  podLevel(t, report);
  const pod = rec(t.spec.securityContext);
  if (pod.runAsUser === 0) report(`${t.specPath}.securityContext.runAsUser`, 'runAsUser 0 runs as root (restricted)');
  for (const { container: c, path } of containers(t)) {
    const sc = rec(c.securityContext);
    const scPath = `${path}.securityContext`;
    if (sc.privileged === true) report(`${scPath}.privileged`, 'privileged containers are not allowed (baseline)');
    sharedContext(sc, scPath, report);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') report(`${scPath}.procMount`, 'procMount must be Default (baseline)');
    const caps = rec(sc.capabilities);
    arr(caps.add).forEach((cap, i) => {
      if (cap === 'NET_BIND_SERVICE') return;
      const level = BASELINE_CAPABILITIES.has(String(cap)) ? 'restricted' : 'baseline';
      report(`${scPath}.capabilities.add[${i}]`, `adding capability ${String(cap)} is not allowed (${level}: only NET_BIND_SERVICE)`);
    });
    if (!arr(caps.drop).includes('ALL')) report(`${scPath}.capabilities.drop`, 'capabilities.drop must include ALL (restricted)');
    arr(c.ports).forEach((p, i) => {
      const hostPort = rec(p).hostPort;
      if (hostPort !== undefined && hostPort !== 0) report(`${path}.ports[${i}].hostPort`, 'hostPort is not allowed (baseline)');
    });
    handlerHosts(c, path, report);
    if (sc.allowPrivilegeEscalation !== false) report(`${scPath}.allowPrivilegeEscalation`, 'allowPrivilegeEscalation must be false (restricted)');
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) report(`${scPath}.runAsNonRoot`, 'runAsNonRoot must be true here or on the pod (restricted)');
    if (sc.runAsUser === 0) report(`${scPath}.runAsUser`, 'runAsUser 0 runs as root (restricted)');
    const seccomp = str(rec(sc.seccompProfile).type) ?? str(rec(pod.seccompProfile).type);
    if (seccomp !== 'Unconfined' && !CONFINED_PROFILES.has(seccomp ?? '')) {
      report(`${scPath}.seccompProfile.type`, 'seccompProfile.type must be RuntimeDefault or Localhost here or on the pod (restricted)');
    }
  }
  return out;
}

/** The strictest Pod Security Standards profile a pod template passes. */
export function podSecurityLevel(t: PodTemplate): PodSecurityLevel {
  const violations = podSecurityViolations(t);
  if (violations.length === 0) return 'restricted';
  return violations.some((v) => v.profile === 'baseline') ? 'privileged' : 'baseline';
}

/** Violations of a bare pod spec (no owning object), for component tests. */
export function podSpecViolations(spec: object): Violation[] {
  const doc = { file: '', env: '', component: '', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'test' }, spec } };
  return podSecurityViolations({ doc, namespace: '', labels: {}, annotations: {}, spec: spec as Json, specPath: 'spec' });
}
