#!/usr/bin/env bash
# CI set-up for the Docker backend's tests: installs Debian's docker.io and docker-compose (v1)
# and debootstrap, and builds the cached root filesystem the hermetic images are made from.
# The tests themselves start the hermetic engine (docker/engine.sh), build the images
# (docker/build-images.sh) and remove all of it when done. Safe to fail: without an engine
# the Docker tests skip with the reason. Prints how long each step took.
set -uo pipefail
cd "$(dirname "$0")/.."

step() {
  local name="$1"
  shift
  local t0=$SECONDS
  if "$@"; then
    echo "docker/ci-setup: $name: ok ($((SECONDS - t0)) s)"
  else
    echo "docker/ci-setup: $name: FAILED ($((SECONDS - t0)) s); the Docker tests will skip" >&2
    return 1
  fi
}

install_packages() {
  [ "$(id -u)" = 0 ] || { echo "not root: cannot install packages" >&2; return 1; }
  command -v dockerd >/dev/null && command -v docker-compose >/dev/null && command -v debootstrap >/dev/null && return 0
  # policy-rc.d keeps the package from starting the system's own dockerd (which would add
  # docker0 and NAT rules to this machine's namespace); ours runs in a namespace of its own.
  local policy=/usr/sbin/policy-rc.d created=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created=1
  fi
  # a fresh machine (or this script run on its own, without .ci/run) has no package lists yet
  if ! ls /var/lib/apt/lists/ 2>/dev/null | grep -q '_Packages'; then
    apt-get update -qq || { [ -z "$created" ] || rm -f "$policy"; return 1; }
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    docker.io docker-compose debootstrap >/dev/null
  local rc=$?
  [ -z "$created" ] || rm -f "$policy"
  return $rc
}

step "install docker.io docker-compose debootstrap" install_packages || exit 0
rootfs() {
  local log=/tmp/dslab-ci-rootfs.log
  bash docker/build-rootfs.sh >/dev/null 2>"$log" || { tail -n 20 "$log" >&2; return 1; }
  rm -f "$log"
}
step "debootstrap root filesystem (cached in /var/cache/dslab)" rootfs || exit 0
