#!/usr/bin/env bash
# Builds (once) a Debian bookworm root filesystem tarball with debootstrap, the base of the
# hermetic images: no image registry is reachable here, but Debian's apt mirror is.
# The tarball is cached outside the repository so repeated runs take seconds.
#
#   docker/build-rootfs.sh            -> prints the tarball path (builds it when missing)
#   DSLAB_ROOTFS_CACHE=/path.tar      -> where to keep it (default /var/cache/dslab/rootfs-bookworm.tar)
#   DSLAB_DEBIAN_MIRROR=URL           -> the apt mirror (default http://deb.debian.org/debian)
set -euo pipefail

cache="${DSLAB_ROOTFS_CACHE:-/var/cache/dslab/rootfs-bookworm.tar}"
mirror="${DSLAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# The article's client tools (curl, dig, ping, ip), nginx for the web node, tini as init.
packages="nginx-light,curl,dnsutils,iputils-ping,iproute2,ca-certificates,tini,procps"

if [ -s "$cache" ]; then
  echo "$cache"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "build-rootfs: must run as root (debootstrap needs it)" >&2
  exit 1
fi
command -v debootstrap >/dev/null || {
  echo "build-rootfs: debootstrap is missing: apt-get install debootstrap" >&2
  exit 1
}

mkdir -p "$(dirname "$cache")"
work="$(mktemp -d /var/tmp/dslab-rootfs.XXXXXX)"
# Remove the half-built tree whatever happens; keep only a complete tarball.
trap 'rm -rf "$work"' EXIT

debootstrap --variant=minbase --include="$packages" bookworm "$work/root" "$mirror" >&2
# Slim it: apt lists and caches, docs and man pages are not needed in a lab image.
chroot "$work/root" apt-get clean >&2
rm -rf "$work/root/var/lib/apt/lists/"* "$work/root/usr/share/doc/"* "$work/root/usr/share/man/"* \
  "$work/root/usr/share/locale/"*
# nginx-light's package ships a welcome page; the article's experiments expect nginx's.
tar -C "$work/root" --numeric-owner -cf "$cache.partial" .
mv "$cache.partial" "$cache"
echo "$cache"
