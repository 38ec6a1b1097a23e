#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test nvrc. Idempotent: packages that
# are already installed are not touched, so a second run takes a second. Needs root (apt-get).
# Usage: scripts/setup.sh          everything scripts/test.sh uses (below: it also adds the arm64
#                                  architecture to dpkg, a system user and, for the real NVIDIA tier,
#                                  an apt source for Debian's non-free component, each said first)
#        scripts/setup.sh --demo   only what scripts/demo.sh uses: the build, QEMU, a guest kernel
set -euo pipefail
mode=test
case "${1:-}" in
  --demo) mode=demo ;;
  "") ;;
  *) echo "setup: unknown option $1 (usage: $0 [--demo])" >&2; exit 2 ;;
esac

# What the demo uses: build nvrc and its boot image (JDK, Maven, gcc for the C stub, strip), the
# VM test guest around it (busybox, cpio, lz4) and one boot under QEMU with a Debian cloud kernel.
demo_packages=(
  openjdk-17-jdk-headless maven   # the build
  gcc libc6-dev                   # static C stub, the stub agent and the simulated NVIDIA tools
  busybox-static cpio lz4 binutils   # the guest initramfs (lz4 -l); strip for the boot image
  qemu-system-x86 linux-image-cloud-amd64   # the boot (scripts/guest-kernel.sh picks the newest)
)
packages=(
  "${demo_packages[@]}"
  util-linux                      # setpriv, unshare: the namespace sandbox
  git                             # .ci/run tests a fresh clone
  podman runc                     # CDI consumer test (docs/cdi.md)
  passwd                          # useradd for the sandbox user
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross   # the aarch64 image: static stub, agent, nvsim
  qemu-user-static qemu-system-arm              # its CDS dump (arm64 JVM) and its VM tests
  erofs-utils cryptsetup-bin fdisk   # the VM tests' dm-verity EROFS gpu extension (docs/extensions.md)
  python3-jsonschema              # scripts/gpu-check.sh: the CDI schema check (its test runs in the build)
)

[ "$mode" = demo ] && packages=("${demo_packages[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages: ${missing[*]}; run as root (sudo $0)" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The rest is for scripts/test.sh only.
[ "$mode" = demo ] && exit 0

# The aarch64 image's arm64 packages (JDK jmods, libc, busybox, cloud kernel) are downloaded and
# unpacked, not installed (scripts/fetch-arch.sh); apt only needs to know the architecture.
if [ "$(dpkg --print-architecture)" = amd64 ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "setup: dpkg does not know arm64; run as root (sudo $0)" >&2
      exit 1
    fi
    echo "setup: adding the arm64 architecture to dpkg (dpkg --add-architecture arm64), for the aarch64 image"
    dpkg --add-architecture arm64
    apt-get -o DPkg::Lock::Timeout=600 update -qq
  fi
  "$(dirname "$0")/fetch-arch.sh" aarch64
fi

# The namespace sandbox is entered from this unprivileged user, never from root
# (docs/architecture.md, "Safety rule").
if [ "$(id -u)" -eq 0 ] && ! id nvrcsbx >/dev/null 2>&1; then
  echo "setup: adding the system user nvrcsbx (no home, no shell), the sandbox tests' unprivileged user"
  useradd -r -M -s /usr/sbin/nologin nvrcsbx
fi

# The VM tests' real NVIDIA tier (docs/vm-tests.md): Debian's NVIDIA packages and a module built for
# the guest kernel, cached; it never fails setup (without a mirror that tier skips, saying why).
"$(dirname "$0")/nvidia-real.sh"
