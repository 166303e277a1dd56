# shellcheck shell=sh
# launcher.sh: starts one container of a drill pod, the way a container runtime
# would. Runs as PID 1 of a fresh PID, mount and UTS namespace, already inside
# the pod's network namespace (ip netns exec ... unshare --pid --mount --uts
# --fork ... sh launcher.sh). Builds a read-only root from the host's /usr and
# /etc, mounts the pod's volumes where the pod spec mounts them, gives the pod
# its own /etc/hosts (the headless names) and hostname, drops to the pod's
# uid/gid and execs the container command.
#
# usage: launcher.sh ROOT UID GID HOSTNAME HOSTS RESOLV SHELL VOLUME... -- COMMAND...
#   VOLUME: SOURCE|MOUNTPATH|ro or SOURCE|MOUNTPATH|rw
#   SHELL:  "-" for the system sh, or the path of a binary to run as `sh`
#           (busybox: the shell of alpine images)
set -eu
root=$1
uid=$2
gid=$3
name=$4
hosts=$5
resolv=$6
shell=$7
shift 7

mkdir -p "$root"
mount -t tmpfs -o mode=0755 drill-root "$root"
for d in usr etc opt; do
  if [ -d "/$d" ] && [ ! -L "/$d" ]; then
    mkdir "$root/$d"
    mount --rbind "/$d" "$root/$d"
  fi
done
for d in bin sbin lib lib32 lib64 libx32; do
  if [ -L "/$d" ]; then
    ln -s "$(readlink "/$d")" "$root/$d"
  elif [ -d "/$d" ]; then
    mkdir "$root/$d"
    mount --rbind "/$d" "$root/$d"
  fi
done
mkdir "$root/proc" "$root/dev" "$root/run" "$root/var"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --bind "$hosts" "$root/etc/hosts"
target=$(readlink -f /etc/resolv.conf || true)
if [ -L /etc/resolv.conf ] && [ "${target#/run/}" != "$target" ]; then
  # e.g. systemd-resolved's stub: the link resolves inside the new root, under its own empty /run
  # (never a host file: /run of the new root is a fresh directory of its tmpfs).
  mkdir -p "$root$(dirname "$target")"
  : >"$root$target"
  mount --bind "$resolv" "$root$target"
elif [ ! -L /etc/resolv.conf ] && [ -e /etc/resolv.conf ]; then
  mount --bind "$resolv" "$root/etc/resolv.conf"
fi
while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
  src=${1%%|*}
  rest=${1#*|}
  dst=${rest%|*}
  mode=${rest##*|}
  mkdir -p "$root$dst"
  mount --bind "$src" "$root$dst"
  if [ "$mode" = ro ]; then
    mount -o remount,bind,ro "$root$dst"
  fi
  shift
done
[ "$#" -gt 0 ] && shift
if [ "$shell" != - ]; then
  mkdir "$root/.drill-bin"
  ln -s "$shell" "$root/.drill-bin/sh"
fi
# readOnlyRootFilesystem: only the volumes are writable.
for d in usr etc opt; do
  if [ -d "$root/$d" ] && [ ! -L "$root/$d" ]; then
    mount -o remount,bind,ro "$root/$d"
  fi
done
mount -o remount,bind,ro "$root"
hostname "$name"
if [ "$uid" = 0 ] && [ "$gid" = 0 ]; then
  # Only in the drill's one-uid user namespace (pod specs never run as root): there setgroups is
  # denied, and root is already who the container runs as.
  exec chroot "$root" "$@"
fi
exec chroot --userspec="$uid:$gid" --groups="$gid" "$root" "$@"
