// The embedded-script finder: containers, split command/args, probes, hooks and CronJobs, nothing else.
import { describe, expect, it } from 'vitest';
import { embeddedScripts } from './embedded-scripts.ts';

describe('embeddedScripts', () => {
  it('finds `sh -c` and `bash -c` in commands, in command + args, in probes and hooks, at any depth', () => {
    const pod = {
      kind: 'CronJob',
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                initContainers: [{ name: 'a', command: ['bash', '-c', 'echo a'] }],
                containers: [
                  {
                    name: 'b',
                    command: ['/bin/sh'],
                    args: ['-ec', 'echo b'],
                    livenessProbe: { exec: { command: ['bash', '-c', 'echo probe'] } },
                    lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo hook'] } } },
                  },
                  { name: 'c', command: ['kubectl', 'wait', '-c', 'x'], args: ['bash'] },
                  { name: 'd', args: ['bash', '-c', 'not run by a shell of ours: the entrypoint decides'] },
                ],
              },
            },
          },
        },
      },
    };
    expect(embeddedScripts(pod).map((s) => [s.shell, s.script])).toEqual([
      ['bash', 'echo a'],
      ['sh', 'echo b'],
      ['bash', 'echo probe'],
      ['sh', 'echo hook'],
    ]);
    expect(embeddedScripts(pod)[2]?.where).toBe('.spec.jobTemplate.spec.template.spec.containers[0].livenessProbe.exec.command');
  });
});
