// Finds every shell script embedded in Kubernetes objects: `sh -c`/`bash -c` in containers, probes and lifecycle hooks.

export interface EmbeddedScript {
  /** Where it was found: `<kind>/<name>` and the JSON path of the command. */
  where: string;
  shell: 'sh' | 'bash';
  script: string;
}

const SHELLS: Readonly<Record<string, EmbeddedScript['shell']>> = { sh: 'sh', bash: 'bash', '/bin/sh': 'sh', '/bin/bash': 'bash', '/usr/bin/bash': 'bash' };

/** `[shell, -c…, script, …]` anywhere in one argv: `-c`, or option clusters that end in c such as `-ec` or `-euc`. */
function scriptsOfArgv(argv: readonly unknown[]): { shell: EmbeddedScript['shell']; script: string }[] {
  return argv.flatMap((arg, i) => {
    const shell = typeof arg === 'string' ? SHELLS[arg] : undefined;
    const flag = argv[i + 1];
    const script = argv[i + 2];
    return shell && typeof flag === 'string' && /^-[a-z]*c$/.test(flag) && typeof script === 'string' ? [{ shell, script }] : [];
  });
}

/**
 * Walks any object: wherever a node holds a `command` array (containers, exec probes, lifecycle hooks), its argv is
 * `command` followed by `args`, as the kubelet runs it. Generic on purpose, so scripts added by any component count.
 */
export function embeddedScripts(root: unknown, where = ''): EmbeddedScript[] {
  if (Array.isArray(root)) return root.flatMap((item, i) => embeddedScripts(item, `${where}[${i}]`));
  if (root === null || typeof root !== 'object') return [];
  const node = root as Record<string, unknown>;
  const own = Array.isArray(node.command)
    ? scriptsOfArgv([...node.command, ...(Array.isArray(node.args) ? node.args : [])]).map((s) => ({ where: `${where}.command`, ...s }))
    : [];
  return [...own, ...Object.entries(node).flatMap(([key, value]) => embeddedScripts(value, `${where}.${key}`))];
}
