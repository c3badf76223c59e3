// Which environments and Applications a set of changed files affects: environment files, profiles, render sources, rendered folders.

/** What the computation needs to know about the repository as it is now. */
export interface AffectedContext {
  /** Every environment with the refs of its chain (`['prod', 'profiles/base']`). */
  chains: ReadonlyMap<string, readonly string[]>;
  /** Component names in install order (the registry). */
  components: readonly string[];
  /** Files the render imports (its module graph) or reads at run time: a change to any of them may change any output. */
  renderInputs: ReadonlySet<string>;
}

export interface AffectedEnvironment {
  name: string;
  /** Rendered folders that may change: component names, plus `apps` (the Applications and AppProject) and `bootstrap`. */
  folders: string[];
  /** Why, one line per cause: `environments/profiles/prod.yaml (through profiles/prod)`. */
  reasons: string[];
}

export interface Affected {
  environments: AffectedEnvironment[];
  /** Files every environment shares changed (rendered/argocd, kustomization.yaml): Argo CD's own config. */
  shared: string[];
}

const EXTRA_FOLDERS = ['apps', 'bootstrap'];

class Collector {
  private readonly envs = new Map<string, { folders: Set<string>; reasons: Set<string> }>();
  readonly shared = new Set<string>();

  add(env: string, folders: readonly string[], reason: string): void {
    const entry = this.envs.get(env) ?? { folders: new Set(), reasons: new Set() };
    for (const f of folders) entry.folders.add(f);
    entry.reasons.add(reason);
    this.envs.set(env, entry);
  }

  result(order: readonly string[]): Affected {
    const rank = (f: string) => (order.indexOf(f) === -1 ? order.length : order.indexOf(f));
    return {
      environments: [...this.envs]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, e]) => ({ name, folders: [...e.folders].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1)), reasons: [...e.reasons].sort() })),
      shared: [...this.shared].sort(),
    };
  }
}

/**
 * Maps changed paths (repository-relative, `/`-separated) to what they affect:
 * - `environments/<name>.yaml`: that environment and every one that extends it, all folders;
 * - `environments/profiles/<name>.yaml`: every environment whose chain holds the profile;
 * - `apps/<component>/…` in the render's inputs: that component in every environment, plus `pvcs`
 *   (its LimitRange, ResourceQuota and Namespace are derived from every component's pods) and `apps`
 *   (the AppProject lists the kinds rendered);
 * - any other render input (`apps/lib`, `scripts/lib`, schemas, package-lock.json): everything;
 * - `rendered/<env>/<folder>/…`: exactly that folder (what a committed render changed);
 * - `rendered/argocd/…`, `kustomization.yaml`: the shared Argo CD configuration.
 * Tests, documentation and the other tools affect nothing that is deployed.
 */
export function computeAffected(changed: readonly string[], ctx: AffectedContext): Affected {
  const out = new Collector();
  const all = [...ctx.components, ...EXTRA_FOLDERS];
  const envNames = [...ctx.chains.keys()];
  const dependents = (ref: string) => envNames.filter((n) => ctx.chains.get(n)!.includes(ref));
  for (const file of changed) {
    const parts = file.split('/');
    const envFile = /^environments\/([^/]+)\.yaml$/.exec(file);
    const profileFile = /^environments\/profiles\/([^/]+)\.yaml$/.exec(file);
    if (envFile) {
      out.add(envFile[1]!, all, file);
      for (const n of dependents(envFile[1]!)) if (n !== envFile[1]) out.add(n, all, `${file} (extended by ${n})`);
    } else if (profileFile) {
      for (const n of dependents(`profiles/${profileFile[1]}`)) out.add(n, all, `${file} (profile)`);
    } else if (parts[0] === 'rendered' && parts[1] === 'argocd') {
      out.shared.add(file);
    } else if (parts[0] === 'rendered' && parts.length >= 4) {
      out.add(parts[1]!, [parts[2]!], `rendered/${parts[1]}/${parts[2]}/`);
    } else if (file === 'kustomization.yaml') {
      out.shared.add(file);
    } else if (ctx.renderInputs.has(file)) {
      const component = parts[0] === 'apps' && ctx.components.includes(parts[1]!) ? parts[1]! : undefined;
      const folders = component ? [component, ctx.components[0]!, 'apps'] : all;
      for (const n of envNames) out.add(n, folders, `${file} (render source)`);
    }
  }
  return out.result(all);
}
