#!/usr/bin/env bash
# Builds the VM tests' guest initramfs: the boot image (nvrc-image.tar.gz) plus what a Kata guest
# would have around it, simulated: busybox, the stub kata-agent, the simulated NVIDIA tools at the
# paths nvrc runs them from, their config files, the driver files the CDI generator reads and the
# hardware fixtures the test pre-init lays over sysfs (src/main/guest/pre-init).
# Deterministic (sorted newc, owner 0:0, fixed mtimes). Run by Maven before the tests.
#
# Usage: build-initramfs.sh OUT_DIR IMAGE_TARBALL NVSIM_DIR SRC_MAIN_DIR OUTPUT_TIMESTAMP [NVIDIA_CACHE]
#   NVSIM_DIR: nvrc-testkit/target/nvsim (if it has no nvsim, sh placeholders stand in)
#   NVIDIA_CACHE: where scripts/nvidia-real.sh laid out the real NVIDIA binaries and module; when it
#     has them, OUT_DIR/initramfs-real.img is the same guest plus them (the real tier), and
#     OUT_DIR/real.txt says what it holds; else OUT_DIR/real-unavailable.txt says why not.
set -euo pipefail
export LC_ALL=C TZ=UTC

out=$(realpath -m "$1"); tarball=$2; nvsim_dir=$3; src=$(realpath "$4"); stamp=$5; nvidia_cache=${6:-}
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
# The bench's JVM-flag levers (scripts/bench-boot.sh): the stub under the name that prints its argv.
install -m 0755 "$src/guest/bench-jvm" "$root/usr/lib/nvrc-vmtest/bench-jvm"
ln -s /usr/lib/nvrc/bin/nvrc-init "$root/usr/lib/nvrc-vmtest/nvrc-jvm-argv"

# --- real modules of the guest kernel (scripts/guest-kernel.sh picks it, as for the boots), for
#     the nvrc.modules scenario: nvsim's modprobe hands these names to busybox's modprobe
#     (nvsim.real_modules=...), which loads them from /lib/modules/<release> as listed here.
#     Without that kernel's modules on the build host the scenario is skipped, never the build.
guest_modules=(dummy virtio_pci virtio_blk dm-verity erofs)   # the first: nvrc.modules; the rest: extensions
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
    log "$moddir lacks one of ${guest_modules[*]}: the nvrc.modules and extension VM scenarios will be skipped"
  fi
else
  log "no modules of a guest kernel (${kernel:-none found${on_target:+ for $arch}}): the nvrc.modules and extension VM scenarios will be skipped"
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

# --- composable images: what the guest needs to open and mount a dm-verity EROFS extension
#     (cryptsetup's veritysetup with its libraries, glibc's static ldconfig, /etc/ld.so.cache as
#     the bind target) and the gpu extension itself, as a virtio-blk disk image the extension
#     scenarios attach with serial extension-gpu: partition 1 the EROFS data, partition 2 the
#     hash tree (veritysetup format --no-superblock), built from files only (no loop device, no
#     mount). target/vm/extension-gpu.cmdline holds the kata.extension.gpu.verity_params= token;
#     extension-gpu-tampered.img has one byte of the data partition flipped after the format.
#     Without erofs-utils, cryptsetup-bin or fdisk the extension scenarios are skipped.
rm -rf "$out"/extension-gpu*
: > "$root/etc/ld.so.cache"
if ((${#on_target[@]})); then
  # The guest would need veritysetup and ldconfig of its own architecture, and the fetched kernel
  # has no dm-verity or erofs modules.
  log "an $arch guest has no extension tools or modules: the extension VM scenarios will be skipped"
elif command -v mkfs.erofs >/dev/null && [ -x /usr/sbin/veritysetup ] && command -v sfdisk >/dev/null \
   && [ -x /sbin/ldconfig ]; then
  install -m 0755 /sbin/ldconfig "$root/sbin/ldconfig"
  install -m 0755 /usr/sbin/veritysetup "$root/usr/sbin/veritysetup"
  for lib in $(ldd /usr/sbin/veritysetup | grep -oE '/[^ ]+\.so[^ ]*' | sort -u); do
    real=$(readlink -f "$lib")
    case $lib in
      /lib64/*) dest=$root$lib ;;
      *) dest=$root/lib/x86_64-linux-gnu/${lib##*/} ;;
    esac
    install -D -m 0755 "$real" "$dest"
  done
  ext=$out/extension-gpu.tree
  rm -rf "$ext"; mkdir -p "$ext"/{bin,sbin,usr/share/nvidia/nvswitch,usr/share/nvidia/nvlsm,usr/lib/x86_64-linux-gnu}
  for t in /bin/nvidia-smi /bin/nvidia-persistenced /bin/nv-hostengine /bin/dcgm-exporter /bin/nvidia-ctk \
           /bin/nv-fabricmanager /sbin/nvlsm /bin/nvidia-cdi-hook; do
    install -m 0755 "$root/usr/lib/nvrc-vmtest/nvsim" "$ext$t"
  done
  cp "$root/usr/share/nvidia/nvswitch/fabricmanager.cfg" "$ext/usr/share/nvidia/nvswitch/"
  cp "$root/usr/share/nvidia/nvlsm/nvlsm.conf" "$ext/usr/share/nvidia/nvlsm/"
  cp "$libdir"/*.so."$version" "$ext/usr/lib/x86_64-linux-gnu/"
  mkdir -p "$ext/lib/firmware/nvidia/$version"
  cp "$root/lib/firmware/nvidia/$version/gsp_ga10x.bin" "$ext/lib/firmware/nvidia/$version/"
  echo "gpu extension (simulated) $version" > "$ext/VERSION"
  find "$ext" -exec touch -h -d "@$epoch" {} +
  mkfs.erofs --quiet --all-root -T"$epoch" -U 6e767263-2d65-7874-656e-73696f6e2d67 "$out/extension-gpu.data" "$ext"
  salt=6e7672632d766d746573742d657874656e73696f6e2d6770752d73616c742d31   # fixed: a reproducible image
  veritysetup format --no-superblock --hash sha256 --data-block-size 4096 --hash-block-size 4096 \
    --salt "$salt" "$out/extension-gpu.data" "$out/extension-gpu.hash" > "$out/extension-gpu.format"
  root_hash=$(awk '/^Root hash:/ {print $3}' "$out/extension-gpu.format")
  data_blocks=$(( $(stat -c %s "$out/extension-gpu.data") / 4096 ))
  data_sectors=$(( data_blocks * 8 ))
  hash_sectors=$(( ($(stat -c %s "$out/extension-gpu.hash") + 511) / 512 ))
  align() { echo $(( ($1 + 2047) / 2048 * 2048 )); }
  data_start=2048
  hash_start=$(align $(( data_start + data_sectors )))
  total=$(( $(align $(( hash_start + hash_sectors ))) + 2048 ))
  disk=$out/extension-gpu.img
  truncate -s $(( total * 512 )) "$disk"
  printf 'label: dos\nlabel-id: 0x6e767263\nstart=%d, size=%d, type=83\nstart=%d, size=%d, type=83\n' \
    "$data_start" "$data_sectors" "$hash_start" "$hash_sectors" | sfdisk -q "$disk" >/dev/null
  dd if="$out/extension-gpu.data" of="$disk" bs=512 seek="$data_start" conv=notrunc status=none
  dd if="$out/extension-gpu.hash" of="$disk" bs=512 seek="$hash_start" conv=notrunc status=none
  # The tampered copy: one byte of the EROFS superblock (offset 1024 of the data) flipped.
  cp "$disk" "$out/extension-gpu-tampered.img"
  off=$(( data_start * 512 + 1024 ))
  byte=$(od -An -tu1 -j "$off" -N1 "$disk" | tr -d ' ')
  printf "$(printf '\\%03o' $(( byte ^ 0xff )))" | dd of="$out/extension-gpu-tampered.img" bs=1 seek="$off" conv=notrunc status=none
  echo "kata.extension.gpu.verity_params=root_hash=$root_hash,salt=$salt,data_blocks=$data_blocks,data_block_size=4096,hash_block_size=4096" \
    > "$out/extension-gpu.cmdline"
  rm -rf "$ext" "$out/extension-gpu.data" "$out/extension-gpu.hash"
  log "gpu extension disk: $disk ($(du -k "$disk" | cut -f1) kB, $data_blocks data blocks, root hash $root_hash)"
else
  log "no mkfs.erofs, veritysetup, sfdisk or ldconfig (Debian: erofs-utils cryptsetup-bin fdisk): the extension VM scenarios will be skipped"
fi

# --- hardware fixtures (see pre-init), in sysfs's text format
fx=$root/usr/share/nvrc-vmtest/fixtures
pci() { # fixture bdf vendor device class
  local d=$fx/$1/pci/$2
  mkdir -p "$d"
  echo "$3" > "$d/vendor"; echo "$4" > "$d/device"; echo "$5" > "$d/class"
}
gpu() { # fixture index [device] [model] [mode]: one GPU at 0000:<10+index>:00.0 (default an H100, node 0666)
  local bdf; bdf=$(printf '0000:%02x:00.0' $((0x10 + $2)))
  local uuid; uuid=$(printf 'GPU-%08d-1111-2222-3333-444444444444' "$2")
  pci "$1" "$bdf" 0x10de "${3:-0x2330}" 0x030200
  mkdir -p "$fx/$1/proc-driver/nvidia/gpus/$bdf"
  printf 'Model: \t\t %s\nIRQ:   \t\t 150\nGPU UUID: \t %s\nVideo BIOS: \t 96.00.74.00.01\nBus Type: \t PCIe\nDMA Size: \t 52 bits\nDMA Mask: \t 0xfffffffffffff\nBus Location: \t %s\nDevice Minor: \t %d\nGPU Excluded:\t No\n' \
    "${4:-NVIDIA H100 80GB HBM3}" "$uuid" "$bdf" "$2" > "$fx/$1/proc-driver/nvidia/gpus/$bdf/information"
  echo "/dev/nvidia$2 195 $2 ${5:-0666}" >> "$fx/$1/dev.list"
}
driver() { # fixture [uvm-tools|no-uvm-tools] [uvm-major] [mode]: the driver's version and its shared nodes
  local uvm=${3:-510} m=${4:-0666}
  mkdir -p "$fx/$1/proc-driver/nvidia"
  printf 'NVRM version: NVIDIA UNIX %s Kernel Module  %s  Sat Jun 21 09:58:23 UTC 2025\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14+deb12u1) \n' \
    "$arch" "$version" > "$fx/$1/proc-driver/nvidia/version"
  printf '/dev/nvidiactl 195 255 %s\n/dev/nvidia-uvm %d 0 %s\n' "$m" "$uvm" "$m" >> "$fx/$1/dev.list"
  [ "${2:-}" = no-uvm-tools ] || printf '/dev/nvidia-uvm-tools %d 1 %s\n' "$uvm" "$m" >> "$fx/$1/dev.list"
  printf '/dev/nvidia-modeset 195 254 %s\n' "$m" >> "$fx/$1/dev.list"
}
vpd() { # fixture bdf id-string va-value: a VPD as a ConnectX stores it (identifier, VPD-R with VA, end tag)
  local id=$3 va=$4
  local r=$(( 3 + ${#va} ))
  { printf '\x82'; printf "\\$(printf %03o $(( ${#id} & 255 )))\\$(printf %03o $(( ${#id} >> 8 )))"; printf '%s' "$id"
    printf '\x90'; printf "\\$(printf %03o $(( r & 255 )))\\$(printf %03o $(( r >> 8 )))"
    printf 'VA'; printf "\\$(printf %03o ${#va})"; printf '%s' "$va"; printf '\x78'
  } > "$fx/$1/pci/$2/vpd"
}
ib() { # fixture device bdf port link_layer cap_mask gid: an InfiniBand device of the function at bdf
  local p=$fx/$1/class/infiniband/$2/ports/$4
  mkdir -p "$p/gids"
  echo "$5" > "$p/link_layer"; echo "$6" > "$p/cap_mask"; echo "$7" > "$p/gids/0"
  ln -sfn "/sys/bus/pci/devices/$3" "$fx/$1/class/infiniband/$2/device"
}
driver gpu1; gpu gpu1 0
driver gpu2; gpu gpu2 0; gpu gpu2 1
# gpu1-uvm: gpu1 without /dev/nvidia-uvm-tools (nvrc.uvm.tools must make it) and with the
# /proc/devices of a guest whose nvidia-uvm got major 508 (the kernel allocates it at load time;
# pre-init binds the file over /proc/devices, where the guest kernel has no nvidia-uvm);
# gpu1-uvm-exists: the same, and the node is there already (as in gpu1).
driver gpu1-uvm no-uvm-tools 508; gpu gpu1-uvm 0
driver gpu1-uvm-exists uvm-tools 508; gpu gpu1-uvm-exists 0
printf 'Character devices:\n  1 mem\n  4 /dev/vc/0\n  4 tty\n  4 ttyS\n  5 /dev/tty\n  5 /dev/console\n  5 /dev/ptmx\n  7 vcs\n 10 misc\n 13 input\n 29 fb\n128 ptm\n136 pts\n195 nvidia-frontend\n226 drm\n234 nvidia-caps\n235 nvidia-caps-imex-channels\n508 nvidia-uvm\n509 nvidia-nvswitch\n\nBlock devices:\n  7 loop\n  8 sd\n  9 md\n259 blkext\n' \
  > "$fx/gpu1-uvm/proc-devices"
cp "$fx/gpu1-uvm/proc-devices" "$fx/gpu1-uvm-exists/proc-devices"
# Eight GPUs with the node mode of Kata's NVIDIA rootfs (options nvidia NVreg_DeviceFileMode=0660).
driver gpu8 uvm-tools 510 0660; for i in 0 1 2 3 4 5 6 7; do gpu gpu8 "$i" 0x2330 "NVIDIA H100 80GB HBM3" 0660; done
for i in 0 1 2 3; do pci nvswitch4 "$(printf '0000:%02x:00.0' $((0x80 + i)))" 0x10de 0x22a3 0x068000; done
# nvswitch3: the six second-generation NVSwitches of an HGX A100 board (NVLink 3).
for i in 0 1 2 3 4 5; do pci nvswitch3 "$(printf '0000:%02x:00.0' $((0x80 + i)))" 0x10de 0x1af1 0x068000; done
for i in 0 1 2 3; do
  bdf=$(printf '0000:%02x:00.0' $((0xc0 + i)))
  pci sw-mng4 "$bdf" 0x15b3 0x1021 0x020700
  printf '\x82\x0a\x00ConnectX-7\x90\x12\x00VA\x0fMLX:SMDL=SW_MNG\x78' > "$fx/sw-mng4/pci/$bdf/vpd"
  ib sw-mng4 "mlx5_$i" "$bdf" 1 InfiniBand 0x2651e84a "$(printf 'fe80:0000:0000:0000:0002:c903:0029:7de%d' "$i")"
done
# b200-partial: what an HGX B200 GPU VM that got part of the board is handed: 2 Blackwell GPUs, the
# ConnectX-7 bridge slot c0:00 of the NVLink 5 fabric (.0 marked SMDL=SW_MNG, .1 its unmarked
# sibling) and a compute ConnectX-7 (0a:00.0, unmarked) whose InfiniBand port allows a subnet
# manager too. The compute NIC is mlx5_0, first by PCI address and by name: a finder that took any
# port would take it. The bridge's .1 is mlx5_1 and .0 mlx5_2, so PCI order (.0) and name order
# (.1) disagree: ports are ordered by PCI address first.
driver b200-partial; gpu b200-partial 0 0x2901 'NVIDIA B200'; gpu b200-partial 1 0x2901 'NVIDIA B200'
pci b200-partial 0000:0a:00.0 0x15b3 0x1021 0x020700
vpd b200-partial 0000:0a:00.0 'NVIDIA ConnectX-7 HHHL adapter card' 'MLX:MN=MLNX:CSKU=V2:UUID=V3:PCI=V0:MODL=CX75310A'
pci b200-partial 0000:c0:00.0 0x15b3 0x1021 0x020700
vpd b200-partial 0000:c0:00.0 'ConnectX-7' 'MLX:MN=MLNX:CSKU=V2:UUID=V3:PCI=V0:MODL=CX7:SMDL=SW_MNG'
pci b200-partial 0000:c0:00.1 0x15b3 0x1021 0x020700
vpd b200-partial 0000:c0:00.1 'ConnectX-7' 'MLX:MN=MLNX:CSKU=V2:UUID=V3:PCI=V0:MODL=CX7'
ib b200-partial mlx5_0 0000:0a:00.0 1 InfiniBand 0x2651e84a fe80:0000:0000:0000:a088:c203:00b2:0a00
ib b200-partial mlx5_1 0000:c0:00.1 1 InfiniBand 0x2651e84a fe80:0000:0000:0000:a088:c203:00b2:c001
ib b200-partial mlx5_2 0000:c0:00.0 1 InfiniBand 0x2651e84a fe80:0000:0000:0000:a088:c203:00b2:c000

# --- the archive: the tree (sorted newc, 0:0, fixed mtimes) + /dev/console, made by hand so that
#     no device node is needed on the build host (the kernel reads concatenated archives)
newc() { # name mode rdevmajor rdevminor ino
  local n=$(( ${#1} + 1 ))
  printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' "$5" "$2" 0 0 1 "$epoch" 0 0 0 "$3" "$4" "$n" 0
  printf '%s\0' "$1"
  head -c $(( (4 - (110 + n) % 4) % 4 )) /dev/zero
}
archive() { # image-name
  find "$root" -exec touch -h -d "@$epoch" {} +
  {
    (cd "$root" && find . -mindepth 1 | sort | cpio -o -H newc -R 0:0 --quiet)
    newc dev/console $((0020600)) 5 1 1
    newc TRAILER!!! 0 0 0 0
  } > "$out/initramfs.cpio"
  if command -v lz4 >/dev/null; then
    lz4 -l -9 -q -f "$out/initramfs.cpio" "$out/$1"   # legacy frame: what the kernel reads
    how="lz4 -l"
  else
    gzip -n -6 -c "$out/initramfs.cpio" > "$out/$1"
    how="gzip"
  fi
  rm -f "$out/initramfs.cpio"
}
archive initramfs.img
log "initramfs.img ($arch, $how): $(du -k "$out/initramfs.img" | cut -f1) kB; tools: $sim"

# --- the real tier: the same guest plus NVIDIA's real binaries and module (scripts/nvidia-real.sh);
#     the pre-init binds them over the simulated tools on request (vmtest.real=...)
rm -f "$out/initramfs-real.img" "$out/real.txt" "$out/real-unavailable.txt"
guest=
if [ -n "$nvidia_cache" ] && ! ((${#on_target[@]})); then
  guest=$(ls -d "$nvidia_cache"/nvidia-*/guest 2>/dev/null | sort -V | tail -n1 || true)
fi
if [ -n "$guest" ] && ls "$guest"/usr/share/nvrc-vmtest/real/kernel-* >/dev/null 2>&1; then
  cp -a -n "$guest/." "$root/"   # never over the image's own files (its glibc is the same one)
  # One module index for the modules of both (nvidia's and the nvrc.modules scenario's): depmod
  # writes only under $root.
  for k in "$guest"/lib/modules/*/; do
    k=${k%/}; k=${k##*/}
    depmod=$(command -v depmod || echo /sbin/depmod)
    "$depmod" -b "$root" "$k" 2>/dev/null || die "depmod -b $root $k failed"
  done
  cat "$guest"/usr/share/nvrc-vmtest/real/kernel-* > "$out/real.txt"
  archive initramfs-real.img
  log "initramfs-real.img ($how): $(du -k "$out/initramfs-real.img" | cut -f1) kB; $(tr '\n' ' ' < "$out/real.txt")"
elif ((${#on_target[@]})); then
  echo "the real NVIDIA tier is x86_64 only (its module is built for the x86_64 guest kernel)" > "$out/real-unavailable.txt"
  log "no real tier: $(cat "$out/real-unavailable.txt")"
elif [ -n "$nvidia_cache" ] && [ -f "$nvidia_cache/UNAVAILABLE" ]; then
  cp "$nvidia_cache/UNAVAILABLE" "$out/real-unavailable.txt"
  log "no real tier: $(cat "$out/real-unavailable.txt")"
else
  echo "not prepared: no real NVIDIA guest under ${nvidia_cache:-(no cache given)} (run scripts/nvidia-real.sh as root)" \
    > "$out/real-unavailable.txt"
  log "no real tier: $(cat "$out/real-unavailable.txt")"
fi
