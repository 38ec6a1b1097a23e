#!/usr/bin/env bash
# Fetches what building and booting another architecture's boot image needs, without installing
# a single foreign package: the Debian packages of that architecture are downloaded with
# `apt-get download` and unpacked with `dpkg-deb -x` into a cache (docs/boot-image.md,
# "Other architectures"). Idempotent: a cache made from the same package versions is kept.
#
# Usage: scripts/fetch-arch.sh ARCH [CACHE]
#   ARCH   aarch64 (the only architecture that is not built natively on x86_64 CI)
#   CACHE  default ${NVRC_ARCH_CACHE:-$HOME/.cache/nvrc/arch}; the result is CACHE/ARCH:
#     root/              the unpacked packages (JDK with jmods, libc, libgcc_s, libstdc++, zlib,
#                        busybox, the cloud kernel in root/boot/vmlinuz-*)
#     origins.tsv        every unpacked path (relative to root/) and the pkg:deb purl it came from
#     linker-jdk         a host-architecture JDK of exactly the target JDK's version, for jlink
#                        (a symlink to the build JDK when that is the same version, else the
#                        amd64 packages of that version unpacked beside)
#     packages           what the cache was made from (package=version:arch), one a line
# Needs the architecture in dpkg's list and its package lists (scripts/setup.sh, as root:
# dpkg --add-architecture arm64 && apt-get update); no install, no root for the download itself.
set -euo pipefail
export LC_ALL=C

arch=${1:?usage: fetch-arch.sh ARCH [CACHE]}
cache=${2:-${NVRC_ARCH_CACHE:-$HOME/.cache/nvrc/arch}}
die() { echo "fetch-arch: ERROR: $*" >&2; exit 1; }
log() { echo "fetch-arch: $*"; }

case $arch in
  aarch64) deb=arm64; kernel_flavour=cloud-arm64 ;;
  x86_64) deb=amd64; kernel_flavour=cloud-amd64 ;;
  *) die "unknown architecture '$arch' (known: x86_64, aarch64)" ;;
esac
host_deb=$(dpkg --print-architecture)
dir=$cache/$arch

if [ "$deb" != "$host_deb" ] && ! dpkg --print-foreign-architectures | grep -qx "$deb"; then
  die "dpkg does not know architecture $deb: as root, run 'dpkg --add-architecture $deb && apt-get update' (scripts/setup.sh does)"
fi

candidate() { # the version apt would take of PACKAGE:ARCH, empty if none
  apt-cache policy "$1" 2>/dev/null | sed -n 's/^  Candidate: //p' | grep -v '^(none)$' || true
}

# The newest cloud kernel: the versioned package the meta-package depends on (never hard-coded).
kernel_pkg=$(apt-cache depends "linux-image-$kernel_flavour:$deb" 2>/dev/null \
  | sed -n 's/^ *Depends: \(linux-image-[^:]*\).*/\1/p' | head -1)
[ -n "$kernel_pkg" ] || die "no linux-image-$kernel_flavour:$deb in the package lists (apt-get update?)"

jdk_version=$(candidate "openjdk-17-jdk-headless:$deb")
[ -n "$jdk_version" ] || die "no openjdk-17-jdk-headless:$deb in the package lists (apt-get update?)"
wanted=()
for p in openjdk-17-jre-headless openjdk-17-jdk-headless; do wanted+=("$p:$deb=$jdk_version"); done
for p in libc6 libgcc-s1 libstdc++6 zlib1g busybox-static "$kernel_pkg"; do
  v=$(candidate "$p:$deb")
  [ -n "$v" ] || die "no $p:$deb in the package lists (apt-get update?)"
  wanted+=("$p:$deb=$v")
done

# jlink must be of the target JDK's exact version: the build JDK if it is, else the host
# architecture's packages of that version (jlink refuses another feature release and its
# plugins write the target's classes; one version for both leaves nothing to chance).
host_jdk=$(dpkg-query -W -f='${Version}' openjdk-17-jdk-headless 2>/dev/null || true)
linker=()
if [ "$host_jdk" != "$jdk_version" ]; then
  for p in openjdk-17-jre-headless openjdk-17-jdk-headless; do linker+=("$p:$host_deb=$jdk_version"); done
fi

stamp=$(printf '%s\n' "${wanted[@]}" "${linker[@]}" | sort)
if [ -f "$dir/packages" ] && [ "$(cat "$dir/packages")" = "$stamp" ] && [ -e "$dir/linker-jdk/bin/jlink" ]; then
  log "$dir is up to date ($jdk_version, $kernel_pkg)"
  exit 0
fi

log "downloading for $arch: ${wanted[*]} ${linker[*]}"
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp/debs" "$dir.tmp/root" "$dir.tmp/linker-debs"
download() { # apt-get download, without its note that a root download is not sandboxed
  apt-get download -q "$@" 2> >(grep -v 'Download is performed unsandboxed' >&2) >/dev/null
}
(cd "$dir.tmp/debs" && download "${wanted[@]}") || die "apt-get download ${wanted[*]} failed"
distro=$(. /etc/os-release 2>/dev/null; echo "${ID:-debian}-${VERSION_ID:-unknown}")
: > "$dir.tmp/origins.tsv"
for f in "$dir.tmp"/debs/*.deb; do
  dpkg-deb -x "$f" "$dir.tmp/root"
  read -r name ver a < <(dpkg-deb -f "$f" Package Version Architecture | awk '{printf "%s ", $2} END {print ""}')
  ver=${ver//%/%25}; ver=${ver//+/%2B}; ver=${ver//:/%3A}
  purl="pkg:deb/${distro%%-*}/$name@$ver?arch=$a&distro=$distro"
  dpkg-deb --fsys-tarfile "$f" | tar -t | awk -v purl="$purl" 'sub(/^\.\//, "") && $0 != "" && !/\/$/ {print $0 "\t" purl}' \
    >> "$dir.tmp/origins.tsv"
done
# The kernel's modules and debug links: the VM tests boot the kernel alone (no module is loaded).
rm -rf "$dir.tmp/root/lib/modules" "$dir.tmp/root/usr/lib/debug"
sort -o "$dir.tmp/origins.tsv" "$dir.tmp/origins.tsv"
jdk_dir=$dir.tmp/root/usr/lib/jvm/java-17-openjdk-$deb
[ -f "$jdk_dir/jmods/java.base.jmod" ] || die "no jmods in openjdk-17-jdk-headless:$deb ($jdk_dir/jmods)"
if ((${#linker[@]})); then
  (cd "$dir.tmp/linker-debs" && download "${linker[@]}") || die "apt-get download ${linker[*]} failed"
  mkdir -p "$dir.tmp/linker"
  for f in "$dir.tmp"/linker-debs/*.deb; do dpkg-deb -x "$f" "$dir.tmp/linker"; done
  ln -s "linker/usr/lib/jvm/java-17-openjdk-$host_deb" "$dir.tmp/linker-jdk"
  "$dir.tmp/linker-jdk/bin/jlink" --version >/dev/null || die "the downloaded jlink $jdk_version does not run"
else
  ln -s "/usr/lib/jvm/java-17-openjdk-$host_deb" "$dir.tmp/linker-jdk"   # openjdk-17-jdk-headless's home
fi
rm -rf "$dir.tmp/debs" "$dir.tmp/linker-debs"
echo "$stamp" > "$dir.tmp/packages"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
log "$dir: JDK $jdk_version (jlink: $( ((${#linker[@]})) && echo "downloaded $host_deb JDK" || echo "the build JDK")), $kernel_pkg, $(du -sh "$dir" | cut -f1)"
