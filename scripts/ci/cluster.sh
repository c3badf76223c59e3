#!/usr/bin/env bash
# `npm run test:cluster` on a real control plane: builds (or reuses) etcd, kube-apiserver, kube-controller-manager
# and kubectl from the upstream Go modules at the environments' Kubernetes minor, starts them on loopback with a generated
# kubeconfig, runs the suite, and always stops them and removes their data (trap), also on failure or Ctrl-C.
# To run the suite on a cluster of your own instead: KUBECONFIG=... npm run test:cluster (README "Cluster tests").
set -euo pipefail
cd "$(dirname "$0")/../.."

for p in go openssl curl; do
  command -v "$p" >/dev/null || { echo "cluster.sh: $p is missing (Go: https://go.dev/dl/; openssl, curl: bash scripts/ci/install-programs.sh)" >&2; exit 1; }
done

# The newest Kubernetes minor an environment declares (kubernetesVersion, with the schema's default).
minor=$(npx --no-install tsx scripts/ci/kube-minor.ts)

t0=$(date +%s)
kube=$(bash scripts/ci/kube-build.sh "$minor" | tail -1)
bin="$kube/bin"
# The waiter tests run the rendered `kubectl wait` initContainers with this kubectl (same version as the API server).
export KUBECTL="$bin/kubectl" PATH="$bin:$PATH"
t1=$(date +%s)

run=$(mktemp -d "${TMPDIR:-/tmp}/orocommerce-cluster.XXXXXX")
pids=()
cleanup() {
  local status=$?
  # Controller manager, API server, then etcd; each gets 15 s to stop gracefully, then is killed.
  for (( i=${#pids[@]}-1; i>=0; i-- )); do
    local pid="${pids[$i]}"
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ] && [ -d "$run" ]; then
    for log in "$run"/*.log; do echo "--- last lines of $(basename "$log")" >&2; tail -n 15 "$log" >&2; done
  fi
  rm -rf "$run"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
etcd_port=$(free_port); peer_port=$(free_port); api_port=$(free_port)

# Certificates: a throwaway CA, the API server's serving certificate, an admin client (system:masters),
# and the service-account signing key pair. Valid one day; deleted with $run.
cd "$run"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=orocommerce-test-ca -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=kube-apiserver -keyout apiserver.key -out apiserver.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes.default.svc\n' >apiserver.ext
openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -extfile apiserver.ext -out apiserver.crt 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /O=system:masters/CN=admin -keyout admin.key -out admin.csr 2>/dev/null
openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -out admin.crt 2>/dev/null
openssl genrsa -out sa.key 2048 2>/dev/null
openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
cat >kubeconfig <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: local
    cluster: { server: "https://127.0.0.1:${api_port}", certificate-authority: "${run}/ca.crt" }
users:
  - name: admin
    user: { client-certificate: "${run}/admin.crt", client-key: "${run}/admin.key" }
contexts:
  - name: local
    context: { cluster: local, user: admin }
current-context: local
KUBECONFIG
cd - >/dev/null

"$bin/etcd" --name default --data-dir "$run/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "default=http://127.0.0.1:$peer_port" --unsafe-no-fsync --log-level warn >"$run/etcd.log" 2>&1 &
pids+=($!)

# PodSecurity is among the default admission plugins of 1.23+; it is named here so that stays true.
# --allow-privileged as kubeadm, kind and k3s set it, so Pod Security admission (not this flag) judges privileged pods.
"$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
  --tls-cert-file "$run/apiserver.crt" --tls-private-key-file "$run/apiserver.key" --client-ca-file "$run/ca.crt" \
  --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$run/sa.pub" \
  --service-account-signing-key-file "$run/sa.key" --service-cluster-ip-range 10.96.0.0/16 \
  --authorization-mode RBAC --enable-admission-plugins PodSecurity --allow-privileged=true --v 1 >"$run/kube-apiserver.log" 2>&1 &
pids+=($!)

export KUBECONFIG="$run/kubeconfig"
ready=""
for _ in $(seq 1 240); do
  if curl -fsS --cacert "$run/ca.crt" --cert "$run/admin.crt" --key "$run/admin.key" "https://127.0.0.1:$api_port/readyz" >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.5
done
[ -n "$ready" ] || { echo "cluster.sh: kube-apiserver did not become ready in 120s" >&2; exit 1; }

"$bin/kube-controller-manager" --kubeconfig "$KUBECONFIG" --authentication-kubeconfig "$KUBECONFIG" --authorization-kubeconfig "$KUBECONFIG" \
  --service-account-private-key-file "$run/sa.key" --root-ca-file "$run/ca.crt" --use-service-account-credentials=false \
  --leader-elect=false --bind-address 127.0.0.1 --secure-port 0 --v 1 >"$run/kube-controller-manager.log" 2>&1 &
pids+=($!)
t2=$(date +%s)
echo "cluster.sh: Kubernetes $(head -1 "$kube/BUILD" 2>/dev/null | cut -d' ' -f1,2,3 || basename "$kube") on https://127.0.0.1:$api_port; build/cache $((t1 - t0))s, start $((t2 - t1))s"

npm run test:cluster
