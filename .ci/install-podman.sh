#!/bin/sh
# Installs what the podman CDI consumer test (nvrc-gpu PodmanConsumerTest, .ci/podman-cdi-check.sh)
# needs on Debian 12: podman, runc (named explicitly: podman alone pulls crun, which fails on this
# kind of host with "cgroups in hybrid mode not supported") and busybox-static (the test image).
# Idempotent: does nothing when all three are installed.
set -eu

PACKAGES="podman runc busybox-static"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    echo "install-podman: already installed: $PACKAGES"
    exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-podman: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086 # one word per package
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
