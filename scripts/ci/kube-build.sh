#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-controller-manager and kubectl from the upstream Go modules, cached by version.
# Usage: kube-build.sh <minor, e.g. 1.33>   Prints the cache directory (holding bin/) on its last line.
#
# Why a throwaway module: k8s.io/kubernetes's go.mod replaces its staging modules (k8s.io/api, ...) with
# ./staging paths, so `go install k8s.io/kubernetes/cmd/...@vX` refuses. A module generated here requires
# k8s.io/kubernetes vX.Y.Z and replaces each staging module with its published v0.Y.Z; etcd is built at
# the version the Kubernetes module's own etcd client requires (its go.mod), so the pair is the tested one.
set -euo pipefail

minor="${1:?usage: kube-build.sh <kubernetes minor, e.g. 1.33>}"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/orocommerce-gitops"
command -v go >/dev/null || { echo "kube-build: Go is not installed (https://go.dev/dl/, 1.24 or newer)" >&2; exit 1; }

export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off

# The newest patch release of that minor the module proxy serves (or the newest minor below it).
version=""
want="$minor"
for _ in 1 2 3; do
  version=$(go list -m -versions "k8s.io/kubernetes" 2>/dev/null | tr ' ' '\n' | grep -E "^v${want//./\\.}\.[0-9]+$" | sort -t. -k3 -n | tail -1 || true)
  [ -n "$version" ] && break
  want="${want%.*}.$(( ${want#*.} - 1 ))"
done
if [ -z "$version" ]; then
  # Offline, or the proxy is down: a build of this minor already in the cache still serves.
  cached=$(ls -d "$cache_root/kube-v${minor}."* 2>/dev/null | sort -t. -k3 -n | tail -1 || true)
  if [ -n "$cached" ] && [ -x "$cached/bin/etcd" ]; then echo "kube-build: the module proxy gave no answer; using the cached $(basename "$cached")" >&2; echo "$cached"; exit 0; fi
  echo "kube-build: the Go module proxy serves no k8s.io/kubernetes ${minor}.x (GOPROXY=$(go env GOPROXY))" >&2
  exit 1
fi
[ "$want" = "$minor" ] || echo "kube-build: no k8s.io/kubernetes ${minor}.x on the proxy; using ${version}" >&2

dir="$cache_root/kube-$version"
bin="$dir/bin"
# What the cache of this version lacks: a cache from before kubectl was built gets kubectl alone added.
targets=()
for cmd in kube-apiserver kube-controller-manager kubectl; do
  [ -x "$bin/$cmd" ] || targets+=("k8s.io/kubernetes/cmd/$cmd")
done
need_etcd=""
[ -x "$bin/etcd" ] || need_etcd=1
if [ ${#targets[@]} -eq 0 ] && [ -z "$need_etcd" ]; then
  echo "kube-build: cached $version in $dir" >&2
  echo "$dir"
  exit 0
fi

started=$(date +%s)
work="$dir/build"
rm -rf "$work" && mkdir -p "$work" "$bin"
staging="v0.${version#v1.}"

gomod=$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
[ -f "$gomod" ] || { echo "kube-build: could not download k8s.io/kubernetes@$version" >&2; exit 1; }
etcd=$(sed -n 's/^[[:space:]]*go\.etcd\.io\/etcd\/client\/v3 \(v[0-9.]*\).*/\1/p' "$gomod" | head -1)

if [ ${#targets[@]} -gt 0 ]; then
  {
    echo "module kubebuild"
    echo
    echo "go 1.24"
    echo
    echo "require k8s.io/kubernetes $version"
    # Every `k8s.io/x => ./staging/src/k8s.io/x` of Kubernetes's go.mod, pointed at the published module.
    sed -n 's/^[[:space:]]*\(k8s\.io\/[a-z0-9-]*\) => \.\/staging\/.*/\1/p' "$gomod" | while read -r m; do
      echo "replace $m => $m $staging"
    done
  } >"$work/go.mod"
  printf 'package kubebuild\n' >"$work/doc.go"

  echo "kube-build: building ${targets[*]##*/} $version (cold: many minutes)" >&2
  (cd "$work" && go build -trimpath -ldflags='-s -w' -o "$bin/" "${targets[@]}")
fi

if [ -n "$need_etcd" ]; then
  # etcd in its own module: its go.mod pins its own dependency set, which must not be mixed with Kubernetes's.
  echo "kube-build: building etcd $etcd" >&2
  mkdir -p "$work/etcd"
  printf 'module etcdbuild\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$etcd" >"$work/etcd/go.mod"
  printf 'package etcdbuild\n' >"$work/etcd/doc.go"
  (cd "$work/etcd" && go build -trimpath -ldflags='-s -w' -o "$bin/etcd" go.etcd.io/etcd/server/v3)
fi

rm -rf "$work"
took=$(( $(date +%s) - started ))
# BUILD records the first, full build; a later top-up (kubectl added to an older cache) appends its own line.
echo "$version etcd $etcd ${targets[*]##*/}${need_etcd:+ etcd} built in ${took}s" >>"$dir/BUILD"
echo "kube-build: built ${targets[*]##*/}${need_etcd:+ etcd} $version in ${took}s into $dir" >&2
echo "$dir"
