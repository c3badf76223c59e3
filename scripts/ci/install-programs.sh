#!/usr/bin/env bash
# Installs, from Debian's packages, the real programs that `npm run test:real` proves the output with.
# Idempotent: a second run on a machine that has them does nothing but check.
set -euo pipefail

packages=(
  nginx          # serves the rendered nginx.conf (apps/web)
  php8.2-fpm     # the FastCGI peer behind it
  lua5.1         # Argo CD embeds Lua 5.1 (gopher-lua): the health scripts
  shellcheck     # every embedded shell script
  rsync          # volume-init's copy, run for real on a sandbox (apps/init-jobs)
  prometheus     # promtool: rules check and rule unit tests
  prometheus-alertmanager  # amtool: config check and route tests; alertmanager: inhibition tests on loopback
  openssl        # scripts/ci/cluster.sh: certificates of the throwaway control plane
  curl           # scripts/ci/cluster.sh: waits for kube-apiserver's /readyz
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # --no-install-recommends keeps the servers' own default sites and units out; policy-rc.d stops
  # Debian from starting nginx, php-fpm, prometheus and alertmanager as services on install.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
