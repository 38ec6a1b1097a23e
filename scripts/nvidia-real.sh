#!/usr/bin/env bash
# Prepares the real NVIDIA tier of the VM tests (docs/vm-tests.md, "Real NVIDIA binaries"): fetches
# Debian 12's NVIDIA packages (contrib, non-free), builds the kernel module for the guest kernel
# out of tree, and lays out under the cache a guest overlay with the real modprobe (kmod),
# nvidia-persistenced, nvidia-smi, the libraries ldd says they need and nvidia.ko/nvidia-uvm.ko.
# nvrc-vmtest's build-initramfs.sh turns it into target/vm/initramfs-real.img.
#
# Never loads a module or touches the host's /lib/modules: the module is built with
# `make -C <headers> M=...` into the cache, depmod runs on the overlay (-b). Idempotent: a cache
# for this driver and kernel version is reused (a CI run builds once, ~6 min on 2 cores).
#
# Never fails the caller for want of a network or a package: it then writes the reason to
# $cache/UNAVAILABLE and exits 0, and the real tier skips with that reason. Needs root (apt-get).
#
# Usage: scripts/nvidia-real.sh        Environment: NVRC_NVIDIA_CACHE (default /var/cache/nvrc-vmtest),
#        NVRC_VM_KERNEL (the guest kernel, as for the VM tests: scripts/guest-kernel.sh)
set -euo pipefail
export LC_ALL=C

cache=${NVRC_NVIDIA_CACHE:-/var/cache/nvrc-vmtest}
log() { echo "nvidia-real: $*"; }
unavailable() {
  mkdir -p "$cache"
  echo "$*" > "$cache/UNAVAILABLE"
  log "real NVIDIA tier unavailable: $*"
  exit 0
}

# Anything unforeseen is a reason too, never a failed setup.
trap 'unavailable "scripts/nvidia-real.sh failed at line $LINENO (exit $?)"' ERR

if [ "$(id -u)" -ne 0 ]; then
  log "not root: skipped (the real NVIDIA tier needs apt-get; run as root)"
  exit 0
fi
mkdir -p "$cache"
rm -f "$cache/UNAVAILABLE"

# --- the guest kernel: the one the VM tests boot (scripts/guest-kernel.sh, the rule VmConfig mirrors)
kernel=$("$(dirname "$0")/guest-kernel.sh" 2>&1) || unavailable "no guest kernel: $kernel"
kver=${kernel##*/vmlinuz-}

# --- contrib, non-free and non-free-firmware, unless a source already has them
have_component() { # component
  grep -rqsE "^(deb .* bookworm .*\b$1\b|Components:.*\b$1\b)" /etc/apt/sources.list /etc/apt/sources.list.d/
}
list=/etc/apt/sources.list.d/nvrc-non-free.sources
if ! { have_component contrib && have_component non-free; }; then
  log "adding $list (bookworm contrib non-free non-free-firmware)"
  cat > "$list" <<'EOF'
# Added by nvrc scripts/nvidia-real.sh: NVIDIA's driver packages for the VM tests' real tier.
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: contrib non-free non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: contrib non-free non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt-get -o DPkg::Lock::Timeout=600 update -qq || unavailable "apt-get update failed (no network?)"
fi
candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p'; }
driver=$(candidate nvidia-kernel-dkms)
if [ -z "$driver" ] || [ "$driver" = "(none)" ]; then
  apt-get -o DPkg::Lock::Timeout=600 update -qq || unavailable "apt-get update failed (no network?)"
  driver=$(candidate nvidia-kernel-dkms)
fi
[ -n "$driver" ] && [ "$driver" != "(none)" ] || unavailable "no nvidia-kernel-dkms in the apt sources"
dver=${driver%%-*}          # 535.309.01-0+deb12u1 -> 535.309.01
top=$cache/nvidia-$dver
guest=$top/guest
stamp=$guest/usr/share/nvrc-vmtest/real/kernel-$kver
layout=2   # bump when the overlay's content changes: it is laid out again, the module is kept
if [ -f "$stamp" ] && grep -qx "layout=$layout" "$stamp"; then
  log "cached: driver $dver for kernel $kver ($guest)"
  exit 0
fi

# --- the packages: downloaded and unpacked, never installed
debs=$top/debs
mkdir -p "$debs"
pkgs=(nvidia-kernel-dkms nvidia-persistenced nvidia-smi libnvidia-ml1 libnvidia-cfg1)
if ! ls "$debs"/nvidia-smi_*.deb >/dev/null 2>&1 || ! ls "$debs"/nvidia-persistenced_*.deb >/dev/null 2>&1; then
  log "downloading ${pkgs[*]}"
  chmod 0777 "$debs"   # apt's _apt user downloads into it
  (cd "$debs" && apt-get -o DPkg::Lock::Timeout=600 download -qq "${pkgs[@]}" 2>&1) \
    || unavailable "apt-get download ${pkgs[*]} failed (no network?)"
fi
x=$top/unpacked
rm -rf "$x"
mkdir -p "$x"
for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$x"; done
src=$(ls -d "$x"/usr/src/nvidia-current-* | head -n1)
mods=$top/modules/$kver
if [ -f "$mods/nvidia.ko" ] && [ -f "$mods/nvidia-uvm.ko" ] && [ -f "$mods/build-seconds" ]; then
  seconds=$(cat "$mods/build-seconds")
  log "module cached: $mods (built in $seconds s)"
else

# --- the module, built out of tree against the guest kernel's headers
headers=linux-headers-$kver
if ! dpkg-query -W -f='${Status}' "$headers" 2>/dev/null | grep -q "install ok installed"; then
  log "installing $headers"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "$headers" make >/dev/null || unavailable "cannot install $headers"
fi
# The headers package links /lib/modules/$kver/build (and source, its -common half); the NVIDIA
# Makefile finds both from KERNEL_UNAME (SYSSRC alone would name only the build half).
[ -d "/lib/modules/$kver/build" ] || unavailable "no /lib/modules/$kver/build after installing $headers"
rm -rf "$mods"
mkdir -p "$mods"
cp -a "$src" "$mods/src"
log "building nvidia.ko and nvidia-uvm.ko $dver for $kver (make -j$(nproc); minutes)"
start=$(date +%s)
if ! make -C "$mods/src" -j"$(nproc)" modules KERNEL_UNAME="$kver" \
     NV_KERNEL_MODULES="nvidia nvidia-uvm" > "$mods/build.log" 2>&1; then
  tail -n 20 "$mods/build.log" >&2
  unavailable "the module build failed for $kver (see $mods/build.log)"
fi
seconds=$(( $(date +%s) - start ))
log "module built in ${seconds} s"
for ko in nvidia nvidia-uvm; do
  strip --strip-debug -o "$mods/$ko.ko" "$mods/src/$ko.ko"
done
rm -rf "$mods/src"
echo "$seconds" > "$mods/build-seconds"
fi

# --- the guest overlay
rm -rf "$guest"
real=$guest/usr/lib/nvrc-vmtest/real
mkdir -p "$real/sbin" "$real/bin" "$guest/lib/x86_64-linux-gnu" "$guest/lib/modules/$kver/updates"
install -m 0755 /bin/kmod "$real/sbin/modprobe"
install -m 0755 "$x/usr/bin/nvidia-persistenced" "$real/bin/nvidia-persistenced"
install -m 0755 "$x/usr/lib/nvidia/current/nvidia-smi" "$real/bin/nvidia-smi"
# Loaded with dlopen, so ldd does not list them: the sonames the tools ask for.
for lib in libnvidia-ml libnvidia-cfg; do
  install -m 0644 "$x/usr/lib/x86_64-linux-gnu/nvidia/current/$lib.so.$dver" "$guest/lib/x86_64-linux-gnu/"
  ln -sf "$lib.so.$dver" "$guest/lib/x86_64-linux-gnu/$lib.so.1"
done
for bin in "$real/sbin/modprobe" "$real/bin/nvidia-persistenced" "$real/bin/nvidia-smi"; do
  ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | while read -r so; do
    [ -e "$guest/lib/x86_64-linux-gnu/${so##*/}" ] || install -m 0644 "$(realpath "$so")" "$guest/lib/x86_64-linux-gnu/${so##*/}"
  done
done
# The program interpreter: the boot image keeps its own loader private (as jre/bin/nvrc), so the
# guest has no /lib64/ld-linux-x86-64.so.2 for dynamically linked programs until this one.
interp=$(readelf -l "$real/bin/nvidia-smi" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
mkdir -p "$guest${interp%/*}"
install -m 0755 "$(realpath "$interp")" "$guest$interp"
for ko in nvidia nvidia-uvm; do
  install -m 0644 "$mods/$ko.ko" "$guest/lib/modules/$kver/updates/$ko.ko"
done
depmod -b "$guest" "$kver"
mkdir -p "${stamp%/*}"
{
  echo "driver=$dver"
  echo "persistenced=$(dpkg-deb -f "$debs"/nvidia-persistenced_*.deb Version)"
  echo "kernel=$kver"
  echo "build_seconds=$seconds"
  echo "layout=$layout"
} > "$stamp"
rm -rf "$x"
log "ready: $guest ($(du -sh "$guest" | cut -f1))"
