// The rendered inhibitions in a real Alertmanager (Debian's 0.25, on loopback, clustering off): alerts are
// posted to its API and it reports which ones it holds back. Only the receivers' channels are left out
// of the copy it runs, so nothing tries to leave the machine; route and inhibit_rules are as rendered.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';
import { missingProgramMessage } from '../../scripts/lib/programs.ts';

const PROGRAM = 'prometheus-alertmanager';
const ENV = 'prod';
const app = parse(readFileSync(path.join(REPO_ROOT, 'rendered', ENV, 'apps', `application-orocommerce-${ENV}-monitoring.yaml`), 'utf8'));
const namespace: string = app.spec.destination.namespace;
const config = app.spec.sources.find((s: { chart?: string }) => s.chart === 'kube-prometheus-stack').helm.valuesObject.alertmanager.config;

const work = mkdtempSync(path.join(tmpdir(), 'alertmanager-'));
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
let server: ChildProcess | undefined;
let log = '';

async function ready(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`${PROGRAM} exited: ${log}`);
    try {
      if ((await fetch(`${base}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${PROGRAM} did not become ready: ${log}`);
}

beforeAll(async () => {
  const runnable = { ...config, receivers: config.receivers.map((r: { name: string }) => ({ name: r.name })) };
  writeFileSync(path.join(work, 'alertmanager.yaml'), stringify(runnable));
  server = spawn(PROGRAM, [
    `--config.file=${path.join(work, 'alertmanager.yaml')}`,
    `--storage.path=${path.join(work, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
  ]);
  const started = new Promise<void>((resolve, reject) => {
    server!.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new Error(missingProgramMessage(PROGRAM)) : e));
    server!.once('spawn', () => resolve());
  });
  server.stderr?.on('data', (d) => (log += String(d)));
  await started;
  await ready();
});

afterAll(() => {
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

type Labels = Record<string, string>;
const alert = (labels: Labels) => ({ labels: { namespace, ...labels }, annotations: { summary: 'test' } });

/** Posts `alerts` and returns, per alertname+distinguishing labels, whether Alertmanager holds it back. */
async function inhibited(alerts: Labels[]): Promise<Map<string, boolean>> {
  const post = await fetch(`${base}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts.map(alert)) });
  expect(post.ok, await post.text()).toBe(true);
  const key = (l: Labels) => JSON.stringify(Object.entries(l).filter(([k]) => k !== 'namespace').sort());
  const wanted = new Set(alerts.map(key));
  // The inhibitor reads posted alerts asynchronously: ask until every source has been seen.
  const read = async () => {
    const got = (await (await fetch(`${base}/api/v2/alerts`)).json()) as { labels: Labels; status: { inhibitedBy: string[] } }[];
    return new Map(got.filter((a) => wanted.has(key(a.labels))).map((a) => [key(a.labels), a.status.inhibitedBy.length > 0]));
  };
  for (let i = 0; i < 50; i++) {
    if ((await read()).size === wanted.size) {
      // Settled: the inhibitor has had time to see every posted source.
      await new Promise((r) => setTimeout(r, 500));
      const states = await read();
      return new Map(alerts.map((l) => [`${l.alertname} ${key(l)}`, states.get(key(l))!]));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Alertmanager never reported the posted alerts as expected: ${log}`);
}

interface InhibitionCase {
  name: string;
  alerts: Labels[];
  /** `alertname` or `alertname labelvalue`: the posted alerts Alertmanager must hold back; all others stay visible. */
  held: string[];
}

describe(`rendered/${ENV} inhibitions in a real Alertmanager`, () => {
  it.each<InhibitionCase>([
    {
      name: 'a critical alert holds back the warning of the same alert only',
      alerts: [
        { alertname: 'KubePersistentVolumeFillingUp', severity: 'critical', persistentvolumeclaim: 'a' },
        { alertname: 'KubePersistentVolumeFillingUp', severity: 'warning', persistentvolumeclaim: 'a' },
        { alertname: 'KubeDeploymentRolloutStuck', severity: 'warning', deployment: 'webserver' },
      ],
      held: ['KubePersistentVolumeFillingUp warning'],
    },
    {
      name: 'a full volume holds back its own filling-up warning, not another volume’s',
      alerts: [
        { alertname: 'OroVolumeAlmostFull', severity: 'critical', persistentvolumeclaim: 'pvc-db' },
        { alertname: 'OroVolumeFillingUp', severity: 'warning', persistentvolumeclaim: 'pvc-db' },
        { alertname: 'OroVolumeFillingUp', severity: 'warning', persistentvolumeclaim: 'pvc-cache' },
      ],
      held: ['OroVolumeFillingUp pvc-db'],
    },
    {
      name: 'PostgreSQL down holds back its connection and backup alerts',
      alerts: [
        { alertname: 'OroPostgresDown', severity: 'critical', pod: 'postgres-exporter-1' },
        { alertname: 'OroBackupFailed', severity: 'warning', category: 'backup', job_name: 'database-orocommerce-backup-1' },
        { alertname: 'OroPostgresTooManyConnections', severity: 'warning' },
        { alertname: 'OroPhpFpmListenQueue', severity: 'warning', pod: 'php-fpm-a' },
      ],
      held: ['OroBackupFailed', 'OroPostgresTooManyConnections'],
    },
    {
      name: 'an init job failed for good holds back its own retry warning',
      alerts: [
        { alertname: 'OroInitJobFailed', severity: 'critical', job_name: 'oro-install' },
        { alertname: 'OroInitJobRetrying', severity: 'warning', job_name: 'oro-install' },
        { alertname: 'OroInitJobRetrying', severity: 'warning', job_name: 'volume-init' },
      ],
      held: ['OroInitJobRetrying oro-install'],
    },
  ])('$name', async ({ alerts, held }) => {
    const states = await inhibited(alerts);
    for (const [k, isHeld] of states) {
      const [alertname] = k.split(' ');
      const expected = held.some((h) => {
        const [name, detail] = h.split(' ');
        return name === alertname && (detail === undefined || k.includes(`"${detail}"`));
      });
      expect([k, isHeld]).toEqual([k, expected]);
    }
  });
});
