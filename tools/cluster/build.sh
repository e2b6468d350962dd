#!/usr/bin/env bash
# Builds the pinned Kubernetes control plane, kubectl, etcd and kwok from the Go module
# proxy into a cache outside the checkout, keyed by the pins, so every clone on this
# machine reuses one build and a changed pin triggers a rebuild.
# Prints the bin directory on stdout; progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache_root=${CAIRN_CACHE_DIR:-$HOME/.cache/cairn}
pins=$(cat "$here/build.sh" "$here/kube/go.mod" "$here/kube/go.sum" "$here/kwok/go.mod" "$here/kwok/go.sum" | sha256sum | cut -c1-16)
bin="$cache_root/k8s-$pins/bin"
if [ -f "$bin/.complete" ]; then echo "$bin"; exit 0; fi
mkdir -p "$bin"

kube_version=$(awk '$1=="k8s.io/kubernetes" {print $2}' "$here/kube/go.mod")
minor=$(echo "$kube_version" | cut -d. -f2)
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags="$ldflags -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

start=$(date +%s)
build() { # module-dir output-name package
  local t0; t0=$(date +%s)
  echo "cluster: building $2 ($3) ... $(( t0 - start ))s so far" >&2
  (cd "$here/$1" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$bin/$2" "$3")
  echo "cluster: built $2 in $(( $(date +%s) - t0 ))s" >&2
}
build kube etcd go.etcd.io/etcd/server/v3
build kube kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver
build kube kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager
build kube kube-scheduler k8s.io/kubernetes/cmd/kube-scheduler
build kube kubectl k8s.io/kubernetes/cmd/kubectl
build kwok kwok sigs.k8s.io/kwok/cmd/kwok
touch "$bin/.complete"
echo "cluster: all binaries built in $(( $(date +%s) - start ))s into $bin" >&2
echo "$bin"
