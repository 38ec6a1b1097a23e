#!/usr/bin/env bash
# Builds the VM tests' guest initramfs: the boot image (nvrc-image.tar.gz) plus what a Kata guest
# would have around it, simulated: busybox, the stub kata-agent, the simulated NVIDIA tools at the
# paths nvrc runs them from, their config files, the driver files the CDI generator reads and the
# hardware fixtures the test pre-init lays over sysfs (src/main/guest/pre-init).
# Deterministic (sorted newc, owner 0:0, fixed mtimes). Run by Maven before the tests.
#
# Usage: build-initramfs.sh OUT_DIR IMAGE_TARBALL NVSIM_DIR SRC_MAIN_DIR OUTPUT_TIMESTAMP
#   NVSIM_DIR: nvrc-testkit/target/nvsim (if it has no nvsim, sh placeholders stand in)
# Environment (Maven sets them from nvrc.arch and nvrc.arch.cache): NVRC_ARCH, the guest's
# architecture (default: this machine's); for another architecture's guest its busybox comes from
# NVRC_ARCH_CACHE (scripts/fetch-arch.sh), and the agent and nvsim (NVRC_NVSIM_SOURCE: nvsim.c)
# are compiled with ARCH-linux-gnu-gcc.
set -euo pipefail
export LC_ALL=C TZ=UTC

out=$(realpath -m "$1"); tarball=$2; nvsim_dir=$3; src=$(realpath "$4"); stamp=$5
root=$out/root
log() { echo "[nvrc-vmtest] $*"; }
die() { echo "[nvrc-vmtest] ERROR: $*" >&2; exit 1; }
if [[ $stamp =~ ^[0-9]+$ ]]; then epoch=$stamp; else epoch=$(date -u -d "$stamp" +%s); fi

arch_of() { case $1 in x86_64|amd64) echo x86_64 ;; aarch64|arm64) echo aarch64 ;; *) return 1 ;; esac; }
arch=$(arch_of "${NVRC_ARCH:-$(uname -m)}") || die "unknown architecture '${NVRC_ARCH:-}' (x86_64 or aarch64)"
triplet=$arch-linux-gnu
[ -f "$tarball" ] || die "no boot image at $tarball: build nvrc-launcher without -Dnvrc.image.skip=true${NVRC_ARCH:+ and with -Dnvrc.arch=$NVRC_ARCH}"
if [ "$arch" = "$(arch_of "$(uname -m)")" ]; then
  CC=${CC:-gcc}
  busybox=/bin/busybox   # Debian busybox-static: a static binary
  [ -x "$busybox" ] || die "busybox not found (Debian: apt-get install busybox-static)"
  on_target=()
else
  CC=$triplet-gcc
  command -v "$CC" >/dev/null || die "$CC not found (Debian: apt-get install gcc-$triplet; scripts/setup.sh)"
  busybox=${NVRC_ARCH_CACHE:-$HOME/.cache/nvrc/arch}/$arch/root/bin/busybox
  [ -x "$busybox" ] || die "no $arch busybox at $busybox: run scripts/fetch-arch.sh $arch"
  on_target=(qemu-$arch-static)
  command -v "${on_target[0]}" >/dev/null || die "${on_target[0]} not found (Debian: apt-get install qemu-user-static)"
  # nvsim as nvrc-testkit builds it (src/main/c/build.sh), for this architecture.
  if [ -f "${NVRC_NVSIM_SOURCE:-}" ]; then
    nvsim_dir=$out/nvsim
    mkdir -p "$nvsim_dir"
    "$CC" -static -O2 -Wall -Wextra -Werror -o "$nvsim_dir/nvsim" "$NVRC_NVSIM_SOURCE"
  else
    nvsim_dir=$out/no-nvsim
  fi
fi

rm -rf "$root"
mkdir -p "$root"
tar -xzf "$tarball" -C "$root"

# --- the rest of a minimal guest
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,var,etc,lib/firmware}
ln -s ../run "$root/var/run"
cp "$busybox" "$root/bin/busybox"
for applet in $("${on_target[@]}" "$root/bin/busybox" --list-full); do
  [ -e "$root/$applet" ] || [ -L "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
"$CC" -static -Os -s -Wall -Wextra -Werror -o "$root/usr/bin/kata-agent" "$src/c/kata-agent.c"
mkdir -p "$root/usr/lib/nvrc-vmtest"
install -m 0755 "$src/guest/pre-init" "$root/usr/lib/nvrc-vmtest/pre-init"

# --- real modules of the guest kernel (scripts/guest-kernel.sh picks it, as for the boots), for
#     the nvrc.modules scenario: nvsim's modprobe hands these names to busybox's modprobe
#     (nvsim.real_modules=...), which loads them from /lib/modules/<release> as listed here.
#     Without that kernel's modules on the build host the scenario is skipped, never the build.
guest_modules=(dummy)
repo=$(realpath "$src/../../..")
rm -f "$out/guest-modules.txt"
# Another architecture's guest boots the kernel scripts/fetch-arch.sh unpacked without its modules
# (they are 400 MB): no modules, so that scenario is skipped there.
kernel=
((${#on_target[@]})) || kernel=$("$repo/scripts/guest-kernel.sh" 2>/dev/null) || kernel=
release=${kernel##*/vmlinuz-}
moddir=/lib/modules/$release
if [ -n "$kernel" ] && [ "$release" != "$kernel" ] && [ -f "$moddir/modules.dep" ]; then
  mkdir -p "$root$moddir"
  : > "$root$moddir/modules.dep"
  copied=()
  for m in "${guest_modules[@]}"; do
    entry=$(grep -m1 -E "(^|/)${m}\.ko(\.[a-z]+)?:" "$moddir/modules.dep") || { copied=(); break; }
    for f in $(tr -d ':' <<< "$entry"); do   # the module, then what it depends on
      [[ " ${copied[*]} " == *" $f "* ]] && continue
      install -D -m 0644 "$moddir/$f" "$root$moddir/$f"
      grep -m1 -E "^${f//./\\.}:" "$moddir/modules.dep" >> "$root$moddir/modules.dep"
      copied+=("$f")
    done
  done
  if ((${#copied[@]})); then
    echo "$release ${guest_modules[*]}" > "$out/guest-modules.txt"
    log "guest kernel modules ($release): ${copied[*]}"
  else
    rm -rf "${root:?}/lib/modules"
    log "$moddir lacks one of ${guest_modules[*]}: the nvrc.modules VM scenario will be skipped"
  fi
else
  log "no modules of a guest kernel (${kernel:-none found${on_target:+ for $arch}}): the nvrc.modules VM scenario will be skipped"
fi

# --- the simulated NVIDIA tools, at the guest paths nvrc runs them from (docs/gpu-mode.md)
tools=(/sbin/modprobe /bin/nvidia-smi /bin/nvidia-persistenced /bin/nv-hostengine /bin/dcgm-exporter
       /bin/nvidia-ctk /bin/nv-fabricmanager /sbin/nvlsm)
if [ -x "$nvsim_dir/nvsim" ]; then
  install -m 0755 "$nvsim_dir/nvsim" "$root/usr/lib/nvrc-vmtest/nvsim"
  sim=nvsim
else
  install -m 0755 "$src/guest/nvsim-placeholder" "$root/usr/lib/nvrc-vmtest/nvsim"
  sim="sh placeholders (no $nvsim_dir/nvsim)"
fi
for t in "${tools[@]}"; do
  rm -f "$root$t"
  ln "$root/usr/lib/nvrc-vmtest/nvsim" "$root$t"
done
mkdir -p "$root/usr/share/nvidia/nvswitch" "$root/usr/share/nvidia/nvlsm" "$root/etc/dcgm-exporter"
printf '# simulated Fabric Manager configuration\nLOG_LEVEL=4\nFABRIC_MODE=0\nFABRIC_MODE_RESTART=0\n#PARTITION_RAIL_POLICY=greedy\n' \
  > "$root/usr/share/nvidia/nvswitch/fabricmanager.cfg"
printf '# simulated NVLSM configuration\nlog_flags 0x03\n' > "$root/usr/share/nvidia/nvlsm/nvlsm.conf"
printf '# simulated counters\nDCGM_FI_DEV_GPU_UTIL, gauge, GPU utilization (in %%).\n' \
  > "$root/etc/dcgm-exporter/default-counters.csv"

# --- the driver's user-space files, as the CDI generator looks for them
version=570.172.08
libdir=$root/usr/lib/$triplet
mkdir -p "$libdir" "$root/lib/firmware/nvidia/$version"
for lib in libcuda libcudadebugger libnvidia-ml libnvidia-nvvm libnvidia-ptxjitcompiler; do
  echo "$lib $version (simulated)" > "$libdir/$lib.so.$version"
done
echo "gsp firmware (simulated)" > "$root/lib/firmware/nvidia/$version/gsp_ga10x.bin"

# --- hardware fixtures (see pre-init), in sysfs's text format
fx=$root/usr/share/nvrc-vmtest/fixtures
pci() { # fixture bdf vendor device class
  local d=$fx/$1/pci/$2
  mkdir -p "$d"
  echo "$3" > "$d/vendor"; echo "$4" > "$d/device"; echo "$5" > "$d/class"
}
gpu() { # fixture index
  local bdf; bdf=$(printf '0000:%02x:00.0' $((0x10 + $2)))
  local uuid; uuid=$(printf 'GPU-%08d-1111-2222-3333-444444444444' "$2")
  pci "$1" "$bdf" 0x10de 0x2330 0x030200
  mkdir -p "$fx/$1/proc-driver/nvidia/gpus/$bdf"
  printf 'Model: \t\t NVIDIA H100 80GB HBM3\nIRQ:   \t\t 150\nGPU UUID: \t %s\nVideo BIOS: \t 96.00.74.00.01\nBus Type: \t PCIe\nDMA Size: \t 52 bits\nDMA Mask: \t 0xfffffffffffff\nBus Location: \t %s\nDevice Minor: \t %d\nGPU Excluded:\t No\n' \
    "$uuid" "$bdf" "$2" > "$fx/$1/proc-driver/nvidia/gpus/$bdf/information"
  echo "/dev/nvidia$2 195 $2" >> "$fx/$1/dev.list"
}
driver() { # fixture
  mkdir -p "$fx/$1/proc-driver/nvidia"
  printf 'NVRM version: NVIDIA UNIX %s Kernel Module  %s  Sat Jun 21 09:58:23 UTC 2025\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14+deb12u1) \n' \
    "$arch" "$version" > "$fx/$1/proc-driver/nvidia/version"
  printf '/dev/nvidiactl 195 255\n/dev/nvidia-uvm 510 0\n/dev/nvidia-uvm-tools 510 1\n/dev/nvidia-modeset 195 254\n' >> "$fx/$1/dev.list"
}
driver gpu1; gpu gpu1 0
driver gpu2; gpu gpu2 0; gpu gpu2 1
for i in 0 1 2 3; do pci nvswitch4 "$(printf '0000:%02x:00.0' $((0x80 + i)))" 0x10de 0x22a3 0x068000; done
for i in 0 1 2 3; do
  bdf=$(printf '0000:%02x:00.0' $((0xc0 + i)))
  pci sw-mng4 "$bdf" 0x15b3 0x1021 0x020700
  printf '\x82\x10\x00ConnectX-7 SW_MNG\x90\x00' > "$fx/sw-mng4/pci/$bdf/vpd"
  ib=$fx/sw-mng4/class/infiniband/mlx5_$i/ports/1
  mkdir -p "$ib/gids"
  echo 0x2651e84a > "$ib/cap_mask"
  printf 'fe80:0000:0000:0000:0002:c903:0029:7de%d\n' "$i" > "$ib/gids/0"
done

# --- the archive: the tree (sorted newc, 0:0, fixed mtimes) + /dev/console, made by hand so that
#     no device node is needed on the build host (the kernel reads concatenated archives)
find "$root" -exec touch -h -d "@$epoch" {} +
newc() { # name mode rdevmajor rdevminor ino
  local n=$(( ${#1} + 1 ))
  printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' "$5" "$2" 0 0 1 "$epoch" 0 0 0 "$3" "$4" "$n" 0
  printf '%s\0' "$1"
  head -c $(( (4 - (110 + n) % 4) % 4 )) /dev/zero
}
{
  (cd "$root" && find . -mindepth 1 | sort | cpio -o -H newc -R 0:0 --quiet)
  newc dev/console $((0020600)) 5 1 1
  newc TRAILER!!! 0 0 0 0
} > "$out/initramfs.cpio"
if command -v lz4 >/dev/null; then
  lz4 -l -9 -q -f "$out/initramfs.cpio" "$out/initramfs.img"   # legacy frame: what the kernel reads
  how="lz4 -l"
else
  gzip -n -6 -c "$out/initramfs.cpio" > "$out/initramfs.img"
  how="gzip"
fi
rm -f "$out/initramfs.cpio"
log "initramfs.img ($arch, $how): $(du -k "$out/initramfs.img" | cut -f1) kB; tools: $sim"
