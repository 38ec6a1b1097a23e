#!/bin/bash
# Runs a busybox container in podman with CDI devices taken ONLY from the specs in SPEC_DIR, and
# prints what the container printed. Exit status: podman's (the command's own status when the
# container ran; 125-127 when podman or runc refused), 2 for a usage or setup error here.
#
#   podman-cdi-check.sh [--debug] SPEC_DIR DEVICE... [-- COMMAND [ARG...]]
#   podman-cdi-check.sh out/cdi nvidia.com/gpu=0 nvidia.com/gpu=all -- sh -c 'ls -l /dev; env'
#
# --debug adds podman --log-level=debug: the only way to see WHY podman rejected a spec (it says
# just "unresolvable CDI devices" otherwise), but a successful run then takes ~20 s.
#
# How (docs/cdi.md, "Checking a spec with podman"): podman 4.3 reads specs only from
# /etc/cdi and /var/run/cdi, so SPEC_DIR is bound over /var/run/cdi (and an empty directory over
# /etc/cdi) in a private mount namespace; nothing changes in the host's mount table. The
# /var/run/cdi mount point is created if missing and removed afterwards; runs are serialised with
# flock. podman gets its own containers.conf (no network, cgroupfs, runc, ulimits it may set).
# Needs root and scripts/setup.sh.
set -euo pipefail

IMAGE=localhost/podman-cdi-check-busybox:latest
STATE=${NVRC_PODMAN_STATE:-/var/tmp/nvrc-podman-cdi-check}

die() {
    echo "podman-cdi-check: $*" >&2
    exit 2
}

usage() {
    echo "usage: $0 [--debug] SPEC_DIR DEVICE... [-- COMMAND [ARG...]]" >&2
    exit 2
}

[ "$(id -u)" -eq 0 ] || die "must run as root (rootful podman; the spec dir is bound in a private mount namespace)"
for tool in podman runc unshare flock mount; do
    command -v "$tool" >/dev/null || die "$tool is not installed (run scripts/setup.sh)"
done
[ -x /bin/busybox ] || die "/bin/busybox is missing (busybox-static; run scripts/setup.sh)"
mkdir -p "$STATE"

# Everything below holds the lock, so concurrent runs neither fight over /var/run/cdi nor import
# the image twice.
if [ -z "${NVRC_PODMAN_CDI_LOCKED:-}" ]; then
    NVRC_PODMAN_CDI_LOCKED=1 exec flock "$STATE/lock" "$0" "$@"
fi

DEBUG=()
if [ "${1:-}" = "--debug" ]; then
    DEBUG=(--log-level=debug)
    shift
fi
[ $# -ge 2 ] || usage
[ -d "$1" ] || die "spec directory $1 does not exist"
SPEC_DIR=$(cd "$1" && pwd)
shift
DEVICES=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    DEVICES+=(--device "$1")
    shift
done
[ ${#DEVICES[@]} -gt 0 ] || usage
[ "${1:-}" != "--" ] || shift
COMMAND=("$@")
[ ${#COMMAND[@]} -gt 0 ] || COMMAND=(sh -c 'ls -l /dev; env')

# podman raises nofile and nproc to values this host may not allow; ask for what it does allow.
nofile=$(ulimit -Hn)
{ [ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ]; } && nofile=1048576
nproc=$(ulimit -Hu)
{ [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
cat > "$STATE/containers.conf" <<CONF
[containers]
netns = "none"
log_driver = "k8s-file"
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF
export CONTAINERS_CONF="$STATE/containers.conf"

if ! podman image exists "$IMAGE"; then
    rootfs=$(mktemp -d)
    mkdir -p "$rootfs/bin"
    cp /bin/busybox "$rootfs/bin/busybox"
    for applet in $(/bin/busybox --list); do
        [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
    done
    tar -C "$rootfs" -cf "$rootfs.tar" .
    podman import --quiet --change 'CMD ["/bin/sh"]' "$rootfs.tar" "$IMAGE" >/dev/null
    rm -rf "$rootfs" "$rootfs.tar"
fi

mkdir -p "$STATE/empty"
created_mount_point=""
if [ ! -d /var/run/cdi ]; then
    mkdir -p /var/run/cdi
    created_mount_point=1
fi
cleanup() {
    if [ -n "$created_mount_point" ]; then
        rmdir /var/run/cdi 2>/dev/null || true
    fi
}
trap cleanup EXIT

status=0
unshare --mount --propagation private bash -c '
    set -e
    mount --bind "$1" /var/run/cdi
    if [ -d /etc/cdi ]; then mount --bind "$2" /etc/cdi; fi
    shift 2
    exec podman "$@"
' podman-cdi-check "$SPEC_DIR" "$STATE/empty" \
    "${DEBUG[@]}" run --rm --pull=never "${DEVICES[@]}" "$IMAGE" "${COMMAND[@]}" || status=$?
exit "$status"
