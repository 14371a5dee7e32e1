#!/usr/bin/env bash
# A hermetic Docker engine for dslab's tests: Debian's dockerd, started as root inside a
# network namespace of its own (dslabdocker: no "-", so that no lab's cleanup, which matches "<lab>-*", can take it), with its own data root, exec root, pid file,
# socket and cgroup parent, without iptables and without the default bridge, so that the
# machine's own network namespace gets no bridge, address or NAT rule. Every path it uses
# is listed below; `stop` removes exactly those.
#
#   docker/engine.sh start    start dockerd (its own containerd is spawned by dockerd)
#   docker/engine.sh stop     remove containers, networks, images, data, namespace
#   docker/engine.sh status   exit 0 when the engine answers
#   docker/engine.sh env      print `export DOCKER_HOST=...` for eval
set -euo pipefail

NETNS="${DSLAB_ENGINE_NETNS:-dslabdocker}"
RUN_DIR="${DSLAB_ENGINE_RUN:-/run/dslab-docker}"
DATA_ROOT="${DSLAB_ENGINE_DATA:-/var/lib/dslab-docker}"
EXEC_ROOT="$RUN_DIR/exec"
PIDFILE="$RUN_DIR/dockerd.pid"
SOCK="$RUN_DIR/docker.sock"
LOG="$RUN_DIR/dockerd.log"
CGROUP_PARENT="dslab-docker"
export DOCKER_HOST="unix://$SOCK"
# Debian's client matches Debian's daemon; a newer client elsewhere on PATH works too.
DOCKER="$(command -v /usr/bin/docker || command -v docker || true)"

die() { echo "engine: $*" >&2; exit 1; }

engine_pid() {
  [ -s "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  # The pid must still be a dockerd, not a recycled number.
  [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = dockerd ] || return 1
  echo "$pid"
}

answers() { [ -n "$DOCKER" ] && "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start() {
  [ "$(id -u)" = 0 ] || die "must run as root (dockerd needs it)"
  command -v dockerd >/dev/null || die "dockerd is missing: apt-get install docker.io"
  command -v nsenter >/dev/null || die "nsenter is missing: apt-get install util-linux"
  [ -n "$DOCKER" ] || die "the docker client is missing: apt-get install docker.io"
  if engine_pid >/dev/null && answers; then
    echo "engine: already running (pid $(engine_pid)), DOCKER_HOST=$DOCKER_HOST"
    return 0
  fi
  # A start that fails half-way (no privilege for a namespace, an unusable data root, ...)
  # removes what it made, as a dockerd that does not come up does below.
  trap 'echo "engine: start failed; removing what it made" >&2; stop >/dev/null 2>&1 || true' ERR
  mkdir -p "$RUN_DIR" "$EXEC_ROOT" "$DATA_ROOT"
  if ! ip netns list | grep -qx "$NETNS\( .*\)\?"; then
    ip netns add "$NETNS"
  fi
  ip -n "$NETNS" link set lo up
  # dockerd also writes an identity key to /etc/docker and a plugin folder to /run/docker
  # whatever its flags say: note the ones that were not there before, so stop removes them.
  local leftover
  for leftover in /etc/docker/key.json /run/docker; do
    [ -e "$leftover" ] || echo "$leftover" >>"$RUN_DIR/created"
  done
  # Its own (empty) daemon.json, so /etc/docker/daemon.json of a system engine never applies.
  echo '{}' >"$RUN_DIR/daemon.json"
  # nsenter switches only the network namespace; `ip netns exec` would remount /sys and
  # hide the cgroup hierarchy dockerd needs.
  nsenter --net="/run/netns/$NETNS" \
    dockerd \
    --config-file "$RUN_DIR/daemon.json" \
    --data-root "$DATA_ROOT" \
    --exec-root "$EXEC_ROOT" \
    --pidfile "$PIDFILE" \
    --host "$DOCKER_HOST" \
    --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
    --bridge=none \
    --cgroup-parent "$CGROUP_PARENT" \
    --exec-opt native.cgroupdriver=cgroupfs \
    --userland-proxy=false \
    </dev/null >>"$LOG" 2>&1 &
  local launched=$!
  local i
  for i in $(seq 1 120); do
    if answers; then
      trap - ERR
      echo "engine: started (pid $(engine_pid || echo "$launched")), DOCKER_HOST=$DOCKER_HOST"
      return 0
    fi
    kill -0 "$launched" 2>/dev/null || break
    sleep 0.5
  done
  trap - ERR
  echo "engine: dockerd did not come up; last lines of $LOG:" >&2
  tail -n 20 "$LOG" >&2 || true
  stop >/dev/null 2>&1 || true
  exit 1
}

stop() {
  if answers; then
    # Everything in this engine is ours: it has its own data root.
    local ids
    ids="$("$DOCKER" ps -aq)"
    [ -z "$ids" ] || "$DOCKER" rm -f -v $ids >/dev/null
    "$DOCKER" network prune -f >/dev/null || true
    "$DOCKER" volume prune -f >/dev/null || true
    "$DOCKER" image prune -a -f >/dev/null || true
  fi
  local pid
  if pid="$(engine_pid)"; then
    kill -TERM "$pid"
    local i
    for i in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; sleep 0.5; fi
  fi
  # dockerd's own containerd and shims exit with it; wait for them by their pid files.
  local f p
  for f in "$EXEC_ROOT/containerd/containerd.pid"; do
    [ -s "$f" ] || continue
    p="$(cat "$f")"
    for i in $(seq 1 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" || true
  done
  # Anything still mounted below our roots (overlay layers, netns files) goes first.
  local m leftover
  for m in $(awk -v a="$DATA_ROOT" -v b="$RUN_DIR" 'index($5, a) == 1 || index($5, b) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  if [ -s "$RUN_DIR/created" ]; then
    while read -r leftover; do rm -rf "$leftover"; done <"$RUN_DIR/created"
  fi
  rm -rf "$DATA_ROOT" "$RUN_DIR"
  if ip netns list | grep -q "^$NETNS\b"; then ip netns del "$NETNS"; fi
  # cgroupfs driver: the parent group in each v1 controller (and in the unified tree).
  for m in /sys/fs/cgroup/*/"$CGROUP_PARENT" /sys/fs/cgroup/"$CGROUP_PARENT"; do
    [ -d "$m" ] && rmdir "$m" 2>/dev/null || true
  done
  echo "engine: stopped and removed"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) answers && echo "engine: running, DOCKER_HOST=$DOCKER_HOST" || { echo "engine: not running"; exit 1; } ;;
  env) echo "export DOCKER_HOST=$DOCKER_HOST" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
