#!/usr/bin/env bash
# Prints the path of the kernel the VM boots use: the one rule shared by scripts/demo.sh,
# scripts/bench-boot.sh, the VM test initramfs build (which copies that kernel's modules) and
# dev.nvrc.vmtest.VmConfig (the same rule in Java; VmConfigTest checks that the two agree):
#   1. $NVRC_VM_KERNEL, when set;
#   2. else the newest installed Debian cloud kernel, /boot/vmlinuz-*-cloud-amd64, by version;
#   3. else, with --install and as root, installs linux-image-cloud-amd64 and looks again;
#   4. else one line on stderr that says why, and exit status 1.
# The kernel must also be readable (Debian installs it 0600: run as root).
# Usage: scripts/guest-kernel.sh [--install]      env: NVRC_BOOT_DIR (default /boot; for tests)
set -euo pipefail
boot=${NVRC_BOOT_DIR:-/boot}
install=
[ "${1:-}" = --install ] && install=1

newest() {
  local k
  k=$(find "$boot" -maxdepth 1 -name 'vmlinuz-*-cloud-amd64' -printf '%f\n' 2>/dev/null | sort -V | tail -1)
  [ -n "$k" ] && echo "$boot/$k"
}

if [ -n "${NVRC_VM_KERNEL:-}" ]; then
  kernel=$NVRC_VM_KERNEL
  [ -e "$kernel" ] || { echo "guest-kernel: NVRC_VM_KERNEL=$kernel does not exist" >&2; exit 1; }
else
  kernel=$(newest) || kernel=
  if [ -z "$kernel" ] && [ -n "$install" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "guest-kernel: no Debian cloud kernel in $boot and not root to install one (sudo apt-get install linux-image-cloud-amd64)" >&2
      exit 1
    fi
    echo "guest-kernel: no Debian cloud kernel in $boot: installing linux-image-cloud-amd64" >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
      linux-image-cloud-amd64 >/dev/null 2>&1 \
      || { apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1 \
           && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
              --no-install-recommends linux-image-cloud-amd64 >/dev/null 2>&1; } \
      || { echo "guest-kernel: apt-get install linux-image-cloud-amd64 failed" >&2; exit 1; }
    kernel=$(newest) || kernel=
  fi
  if [ -z "$kernel" ]; then
    echo "guest-kernel: no Debian cloud kernel ($boot/vmlinuz-*-cloud-amd64): apt-get install linux-image-cloud-amd64, or set NVRC_VM_KERNEL" >&2
    exit 1
  fi
fi
[ -r "$kernel" ] || { echo "guest-kernel: $kernel is not readable (run as root)" >&2; exit 1; }
echo "$kernel"
