#!/usr/bin/env bash
# Builds the hermetic images in the engine DOCKER_HOST points at (docker/engine.sh), offline:
#   dslab/rootfs:local  the debootstrap root filesystem (docker/build-rootfs.sh), imported
#   dslab/base:local    + the machine's Node 20
#   dslab/web:local     nginx-light in the foreground (stands in for nginx:alpine)
#   dslab/dns:local     dslab's DNS server taking `-conf /Corefile` (stands in for CoreDNS)
#   dslab/client:local  docker/client/Dockerfile on the local base (dslab, curl, dig, ping)
# DSLAB_DIST names the compiled tree to copy, relative to the repository root (default dist).
# Prints the environment that points compose.yaml at these images.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dist="${DSLAB_DIST:-dist}"
DOCKER="$(command -v /usr/bin/docker || command -v docker)"
# Debian's daemon has the classic builder only.
export DOCKER_BUILDKIT=0

[ -f "$root/$dist/src/cli/main.js" ] || { echo "build-images: $root/$dist/src is not built: run npm run build" >&2; exit 1; }
tarball="$("$root/docker/build-rootfs.sh")"

log="$(mktemp /tmp/dslab-build-images.XXXXXX.log)"
build() {
  "$DOCKER" build "$@" >>"$log" 2>&1 || { tail -n 30 "$log" >&2; echo "build-images: failed, log in $log" >&2; exit 1; }
}

if ! "$DOCKER" image inspect dslab/rootfs:local >/dev/null 2>&1; then
  "$DOCKER" import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$tarball" dslab/rootfs:local >/dev/null
fi

ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
# A staged context for the dslab images: exactly what they copy, whichever tree was built.
mkdir -p "$ctx/node" "$ctx/app/dist"
cp "$root/package.json" "$ctx/app/"
cp -r "$root/examples" "$ctx/app/examples"
cp -r "$root/$dist/src" "$ctx/app/dist/src"
mkdir -p "$ctx/app/node_modules"
for m in "$root"/node_modules/* "$root"/node_modules/@*/*; do
  case "$m" in */typescript | */@types | */@types/* | */.bin) continue ;; esac
  [ -d "$m" ] || continue
  rel="${m#"$root/node_modules/"}"
  mkdir -p "$ctx/app/node_modules/$(dirname "$rel")"
  cp -r "$m" "$ctx/app/node_modules/$rel"
done
cp "$(readlink -f "$(command -v node)")" "$ctx/node/node"
build -t dslab/base:local -f "$root/docker/hermetic/base.Dockerfile" "$ctx/node"
build -t dslab/web:local -f "$root/docker/hermetic/web.Dockerfile" "$root/docker/hermetic"
build -t dslab/dns:local --build-arg BASE=dslab/base:local -f "$root/docker/dns/Dockerfile" "$ctx/app"
build -t dslab/client:local --build-arg BASE=dslab/base:local -f "$root/docker/client/Dockerfile" "$ctx/app"
rm -f "$log"

echo "DSLAB_WEB_IMAGE=dslab/web:local"
echo "DSLAB_DNS_IMAGE=dslab/dns:local"
echo "DSLAB_CLIENT_IMAGE=dslab/client:local"
