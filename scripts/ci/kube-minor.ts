// Prints the newest Kubernetes minor any environment declares (`kubernetesVersion`, schema default included):
// the version scripts/ci/cluster.sh builds the test control plane at.
import { listEnvironmentNames, loadEnvironments } from '../lib/environment/load.ts';
import { REPO_ROOT } from '../lib/paths.ts';

const envs = await loadEnvironments(REPO_ROOT, await listEnvironmentNames(REPO_ROOT));
const minors = envs.map((e) => e.kubernetesVersion).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
process.stdout.write(`${minors.at(-1) ?? '1.33'}\n`);
