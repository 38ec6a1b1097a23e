#!/usr/bin/env bash
# Builds the boot image: target/nvrc-image.tar.gz, a root-relative tree an image builder unpacks
# into a guest rootfs (docs/boot-image.md). Run by Maven in the package phase of nvrc-launcher,
# after nvrc.jar and target/lib/ exist. Deterministic: two builds of the same sources give the
# same tarball.
#
# The build-time tools (the image SBOM, the CDS training) come from nvrc-imagetools, copied by Maven
# to TARGET_DIR/tools/nvrc-imagetools.jar; they run on this host or with that jar appended to the
# class path of the training run, and are never part of the image.
#
# Usage: build-image.sh TARGET_DIR C_SOURCE_DIR OUTPUT_TIMESTAMP JDK_HOME JDK_MODULES OPTIONAL_MODULES
#   OUTPUT_TIMESTAMP  project.build.outputTimestamp (ISO-8601) or seconds since the epoch
#   JDK_MODULES       comma-separated modules of the jlink'ed runtime
#   OPTIONAL_MODULES  modules jdeps may report that are only `requires static` (left out on purpose)
# Environment (Maven sets them from nvrc.arch, nvrc.image.suffix, nvrc.arch.cache):
#   NVRC_ARCH          x86_64 (amd64) or aarch64 (arm64); default: this machine's
#   NVRC_IMAGE_SUFFIX  "" for this machine's architecture, "-ARCH" for another's: the outputs are then
#                      target/nvrc-image-ARCH.tar.gz, nvrc-image-ARCH.sha256, nvrc-image-ARCH-sbom.json
#                      and the work directory target/image-ARCH
#   NVRC_ARCH_CACHE    where scripts/fetch-arch.sh unpacked another architecture's packages
#                      (default $HOME/.cache/nvrc/arch); not used for this machine's
# Another architecture's image (cross build): its JDK's jmods, libc and friends from ARCH_CACHE,
# the stub from ARCH-linux-gnu-gcc, and every run of its programs (the stub's argv, the loader's
# library list, the CDS training and dump) under qemu-ARCH-static.
set -euo pipefail
export LC_ALL=C TZ=UTC

target=$(realpath "$1"); csrc=$(realpath "$2"); stamp=$3; jdk=$4; modules=$5; optional=$6
arch_in=${NVRC_ARCH:-$(uname -m)}; suffix=${NVRC_IMAGE_SUFFIX-}; arch_cache=${NVRC_ARCH_CACHE:-$HOME/.cache/nvrc/arch}

log() { echo "[nvrc-image] $*"; }
die() { echo "[nvrc-image] ERROR: $*" >&2; exit 1; }

# The architecture's names; the Java side spells them in dev.nvrc.core.Arch.
arch_of() { case $1 in x86_64|amd64) echo x86_64 ;; aarch64|arm64) echo aarch64 ;; *) return 1 ;; esac; }
arch=$(arch_of "$arch_in") || die "unknown architecture '$arch_in' (nvrc.arch: x86_64 or aarch64)"
host=$(arch_of "$(uname -m)") || die "this machine's architecture $(uname -m) has no image"
case $arch in
  x86_64) triplet=x86_64-linux-gnu deb_arch=amd64 ;;
  aarch64) triplet=aarch64-linux-gnu deb_arch=arm64 ;;
esac
cross=
[ "$arch" = "$host" ] || cross=yes
# The suffix is Maven's (nvrc.image.suffix, set by the cross-* profiles of the parent pom); the
# host's image must never be overwritten by another architecture's, nor the other way round.
expected=${cross:+-$arch}
[ "$suffix" = "$expected" ] || die "nvrc.arch=$arch on $host needs the image suffix '$expected', got '$suffix' (the parent pom's cross-* profiles set it from -Dnvrc.arch)"

work=$target/image$suffix
root=$work/root
nvrc=$root/usr/lib/nvrc
out=$target/nvrc-image$suffix.tar.gz
sums=$target/nvrc-image$suffix.sha256
image_sbom=$target/nvrc-image$suffix-sbom.json
if [ -n "$cross" ]; then
  cache=$arch_cache/$arch
  [ -f "$cache/packages" ] || die "no $arch packages in $cache: run scripts/fetch-arch.sh $arch (scripts/setup.sh does)"
  sysroot_src=$cache/root
  tjdk=$sysroot_src/usr/lib/jvm/java-17-openjdk-$deb_arch   # the target's JDK: jmods, release
  linker=$cache/linker-jdk                                 # a host JDK of that exact version: jlink
  CC=$triplet-gcc STRIP=$triplet-strip
  qemu=qemu-$arch-static
  on_target=("$(command -v "$qemu" || echo "$qemu")")      # runs one of the target's programs here
  modpath=(--module-path "$tjdk/jmods")
else
  tjdk=$jdk linker=$jdk
  CC=${CC:-gcc} STRIP=strip
  qemu=true
  on_target=()
  modpath=()
fi

if [[ $stamp =~ ^[0-9]+$ ]]; then epoch=$stamp; else epoch=$(date -u -d "$stamp" +%s); fi
export SOURCE_DATE_EPOCH=$epoch

for tool in "$CC" "$STRIP" "$qemu" ${cross:+"$triplet-readelf"} tar gzip taskset setarch setpriv chrt "$linker/bin/jlink" "$jdk/bin/jdeps" "$jdk/bin/jar" ldd unshare chroot sha256sum; do
  command -v "$tool" >/dev/null || die "missing tool: $tool${cross:+ (Debian: gcc-$triplet, binutils-$triplet, qemu-user-static; scripts/setup.sh)}"
done
[ -f "$target/nvrc.jar" ] || die "$target/nvrc.jar missing (run in the package phase, after the jar)"
tools=$target/tools/nvrc-imagetools.jar
[ -f "$tools" ] || die "$tools missing (nvrc-imagetools, copied in the package phase before the image)"

rm -rf "$root" "$work/gen" "$work/train"
mkdir -p "$work/gen" "$nvrc"/{bin,lib,jffi,sysroot}

# --- 1. The jars, in one fixed order: nvrc.jar, then its manifest Class-Path (Maven's resolved
#        order) without the jffi native jar, whose library is extracted below instead.
(cd "$work/gen" && "$jdk/bin/jar" --extract --file "$target/nvrc.jar" META-INF/MANIFEST.MF)
mapfile -t deps < <(sed -e ':a' -e 'N' -e '$!ba' -e 's/\r//g; s/\n //g' "$work/gen/META-INF/MANIFEST.MF" \
  | sed -n 's/^Class-Path: //p' | tr ' ' '\n' | sed -n 's#^lib/##p' | grep -v -- '-native\.jar$')
((${#deps[@]})) || die "nvrc.jar has no Class-Path in its manifest"
cp "$target/nvrc.jar" "$nvrc/nvrc.jar"
classpath=/usr/lib/nvrc/nvrc.jar
for jar in "${deps[@]}"; do
  [ -f "$target/lib/$jar" ] || die "$target/lib/$jar missing (listed in nvrc.jar's manifest)"
  cp "$target/lib/$jar" "$nvrc/lib/$jar"
  classpath+=":/usr/lib/nvrc/lib/$jar"
done
native=$(ls "$target"/lib/jffi-*-native.jar 2>/dev/null | head -1)
[ -n "$native" ] || die "no jffi native jar in $target/lib"
(cd "$work/gen" && "$jdk/bin/jar" --extract --file "$native" "jni/$arch-Linux/")
cp "$work/gen/jni/$arch-Linux"/*.so "$nvrc/jffi/"
# The jar SBOM, written earlier in package by the parent pom's CycloneDX plugin, which only runs
# online: an offline build (mvn -o) makes an image without SBOMs, and says so.
sbom=yes
if [ -f "$target/nvrc-sbom.json" ]; then
  cp "$target/nvrc-sbom.json" "$nvrc/nvrc-sbom.json"
else
  sbom=
  rm -f "$image_sbom"
  log "WARNING: no $target/nvrc-sbom.json (offline build: the CycloneDX plugin needs online mode): this image has no SBOM"
fi
log "$arch image: ${#deps[@]} jars + nvrc.jar, jffi $(basename "$native") (jni/$arch-Linux)"

# --- 2. The JDK modules: what jdeps finds must be in JDK_MODULES or OPTIONAL_MODULES, so a new
#        dependency on another module fails the build instead of failing in the VM.
found=$("$jdk/bin/jdeps" -s --ignore-missing-deps --multi-release 17 --class-path "$nvrc/lib/*" \
          "$nvrc/nvrc.jar" "$nvrc"/lib/*.jar | awk '$2 == "->" && $3 ~ /^(java|jdk)\./ {print $3}' | sort -u)
for m in $found; do
  [[ ",$modules,$optional," == *",$m,"* ]] || die "jdeps: the jars need JDK module $m; add it to nvrc.image.modules (or to nvrc.image.optionalModules if only 'requires static')"
done
log "jdeps: $(echo $found | tr ' ' ,) (runtime: $modules)"

# --- 3. The jlink'ed runtime, cached across builds by JDK release + module list.
jdk_id=$(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$tjdk/release" | tr -d '"')
[ -n "$jdk_id" ] || die "no JAVA_RUNTIME_VERSION in $tjdk/release"
if [ -n "$cross" ]; then
  linker_id=$(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$linker/release" | tr -d '"')
  [ "$linker_id" = "$jdk_id" ] || die "jlink of $linker is $linker_id, the $arch JDK is $jdk_id: rerun scripts/fetch-arch.sh $arch"
fi
key="$arch|$jdk_id|$modules|strip-debug,no-header-files,no-man-pages,compress=2,strip-unneeded"
jre_cache=$work/jre-cache
if [ ! -f "$jre_cache/.key" ] || [ "$(cat "$jre_cache/.key")" != "$key" ]; then
  log "jlink $modules ($arch, JDK $jdk_id)"
  rm -rf "$jre_cache" "$jre_cache.tmp"
  # No --generate-cds-archive: its archive differs from build to build; step 7 dumps the same
  # base archive deterministically in the image tree.
  "$linker/bin/jlink" "${modpath[@]}" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --output "$jre_cache.tmp"
  # keytool is the only other launcher of java.base; nothing runs it in the guest.
  rm -f "$jre_cache.tmp/bin/keytool"
  find "$jre_cache.tmp" -name '*.so' -exec "$STRIP" --strip-unneeded {} +
  echo "$key" > "$jre_cache.tmp/.key"
  mv "$jre_cache.tmp" "$jre_cache"
fi
cp -a "$jre_cache" "$nvrc/jre"
rm -f "$nvrc/jre/.key"

# --- 4. The libraries the runtime needs from outside it, in a private sysroot, and the dynamic
#        loader as jre/bin/nvrc (the stub execs it explicitly: the guest's libc is not used).
#        Another architecture's: its loader (PT_INTERP of bin/java, in the unpacked libc6) lists
#        what each file needs under qemu, from the unpacked packages only (--inhibit-cache).
if [ -z "$cross" ]; then
  libs=$(cd "$nvrc" && LD_LIBRARY_PATH=jre/lib:jre/lib/server:jffi ldd jre/bin/java jre/lib/*.so jre/lib/server/*.so jffi/*.so \
          | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | grep -v "^$nvrc" | sort -u)
  interp=$(ldd "$nvrc/jre/bin/java" | awk '$1 ~ /^\/.*ld-linux/ {print $1}')
else
  interp=$("$triplet-readelf" -l "$nvrc/jre/bin/java" | sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
  [ -n "$interp" ] || die "jre/bin/java has no program interpreter"
  interp=$sysroot_src$interp
  [ -e "$interp" ] || die "$interp missing (libc6:$deb_arch in $cache?)"
  search=$nvrc/jre/lib:$nvrc/jre/lib/server:$nvrc/jffi:$sysroot_src/lib/$triplet:$sysroot_src/usr/lib/$triplet
  : > "$work/needed"
  for f in "$nvrc"/jre/bin/java "$nvrc"/jre/lib/*.so "$nvrc"/jre/lib/server/*.so "$nvrc"/jffi/*.so; do
    "${on_target[@]}" "$interp" --inhibit-cache --library-path "$search" --list "$f" >> "$work/needed" \
      || die "the $arch loader cannot list what $f needs"
  done
  ! grep -q '=> not found' "$work/needed" || die "$arch libraries missing from $cache: $(grep '=> not found' "$work/needed" | sort -u | tr -s '\n\t' ' ')"
  # libc names the loader as a dependency: it is jre/bin/nvrc, not a sysroot library.
  libs=$(awk '$2 == "=>" && $3 ~ /^\// {print $3}' "$work/needed" | grep -v -e "^$nvrc" -e "/${interp##*/}\$" | sort -u)
fi
[ -n "$interp" ] || die "cannot find the dynamic loader of jre/bin/java"
for lib in $libs; do
  cp -L "$lib" "$nvrc/sysroot/$(basename "$lib")"
done
cp -L "$interp" "$nvrc/jre/bin/nvrc"
log "sysroot: $(cd "$nvrc/sysroot" && echo *) + loader $(basename "$interp")"

# --- 5. The static stub: /usr/lib/nvrc/bin/nvrc-init, nvrc-drain (hard link, same directory),
#        copies at /sbin/init and /init (no links across directories: /sbin may be a symlink).
printf '/* Generated by build-image.sh: the jars of the boot image, in a fixed order. */\n#define NVRC_CLASSPATH "%s"\n' \
  "$classpath" > "$work/gen/classpath.h"
"$CC" -static -Os -s -Wall -Wextra -Werror -ffile-prefix-map="$csrc"=. -I"$work/gen" \
  -o "$nvrc/bin/nvrc-init" "$csrc"/*.c
ln "$nvrc/bin/nvrc-init" "$nvrc/bin/nvrc-drain"
mkdir -p "$root/sbin"
cp "$nvrc/bin/nvrc-init" "$root/sbin/init"
cp "$nvrc/bin/nvrc-init" "$root/init"

# --- 5b. The image SBOM (dev.nvrc.imagetools.ImageSbom, from the tools jar): every file of the tree with its
#         sha256, under the jar, Debian package or JDK it comes from. Written before the CDS dump,
#         which it leaves out (not reproducible, see step 7). What Maven did not build is named
#         here by origin: the Debian package that owns the copied file on this host.
deb_purl() { # a file copied from this host -> pkg:deb/... of its owner, or - if none is known
  [ -z "$cross" ] || { arch_purl "$1"; return; }
  local file=$1 spec name ver arch distro
  command -v dpkg-query >/dev/null || { echo -; return; }
  spec=$( { dpkg-query -S "$file" 2>/dev/null || dpkg-query -S "$(realpath "$file")" 2>/dev/null; } \
          | grep -v '^diversion' | head -1 | sed 's/: .*//') || true
  [ -n "$spec" ] || { echo -; return; }
  read -r name ver arch < <(dpkg-query -W -f='${Package} ${Version} ${Architecture}\n' "$spec" | head -1)
  distro=$(. /etc/os-release 2>/dev/null; echo "${ID:-debian}-${VERSION_ID:-unknown}")
  ver=${ver//%/%25}; ver=${ver//+/%2B}; ver=${ver//:/%3A}
  echo "pkg:deb/${distro%%-*}/$name@$ver?arch=$arch&distro=$distro"
}
arch_purl() { # a file of the unpacked packages -> its package's purl (fetch-arch.sh's origins.tsv)
  local rel=${1#"$sysroot_src"/} real
  real=$(realpath "$1"); real=${real#"$(realpath "$sysroot_src")"/}
  awk -F'\t' -v a="$rel" -v b="$real" '$1 == a || $1 == b {print $2; found = 1; exit} END {if (!found) print "-"}' \
    "$cache/origins.tsv"
}
if [ -n "$sbom" ]; then
  {
    printf 'usr/lib/nvrc/jre\t%s\n' "$(deb_purl "$tjdk/lib/modules")"
    printf 'usr/lib/nvrc/jre/bin/nvrc\t%s\n' "$(deb_purl "$interp")"
    for lib in $libs; do
      printf 'usr/lib/nvrc/sysroot/%s\t%s\n' "$(basename "$lib")" "$(deb_purl "$lib")"
    done
    printf 'usr/lib/nvrc/jffi\tsha256:%s\n' "$(sha256sum "$native" | cut -d' ' -f1)"
  } > "$work/origins.tsv"
  version=$(sed -n 's/^Implementation-Version: *//p' "$work/gen/META-INF/MANIFEST.MF" | tr -d '\r')
  "$jdk/bin/java" -cp "$tools:$target/lib/*" dev.nvrc.imagetools.ImageSbom \
    "$target/nvrc-sbom.json" "$root" "$work/origins.tsv" "${version:-unknown}" "$nvrc/nvrc-image-sbom.json" \
    || die "the image SBOM cannot be written (above): the tree and what it is said to contain disagree"
  cp "$nvrc/nvrc-image-sbom.json" "$image_sbom"
  log "image SBOM: $(grep -c '"nvrc:image:path"' "$nvrc/nvrc-image-sbom.json") files, $(grep -c '"jdk-module:' "$nvrc/nvrc-image-sbom.json") JDK modules"
fi

# --- 6. Canonical modes and times (CDS checks jar mtimes: set them before training).
chmod -R u=rwX,go=rX "$root"
find "$root" -exec touch -h -d "@$epoch" {} +

# --- 7. The class-data-sharing archive app.jsa: one static archive of the JDK and application
#        classes the boot loads, made in a chroot of this very tree (CDS validates absolute jar
#        paths, sizes and mtimes). First a training run of dev.nvrc.imagetools.CdsTraining lists
#        the classes it loads (the image's class path with the tools jar appended; the tools'
#        own classes are left out of the list, so the dump uses exactly the image's class path); it only exercises command-line paths: no mount, no sysctl, no
#        power-off, and nothing runs as PID 1 of any namespace (no --pid), so even Main would
#        only be the command-line tool. Then -Xshare:dump archives the sorted list. Started from
#        root, both drop to an unprivileged uid first (docs/architecture.md, "Safety rule").
#        Deterministic: a sorted class list, a fixed address layout (setarch -R), one CPU
#        (taskset, ActiveProcessorCount), all GC threads made up front, a fixed heap, no compiler
#        threads (-Xint), and the dump run SCHED_FIFO (chrt -f 1). Without that last one, about 1
#        dump in 10 came out different (2 of 19; same class list; 6.6 MB of 19 MB differing, a shifted
#        layout): JDK 17 still lets the JVM's own threads start and run Java code during the dump
#        (JDK-8253495, fixed in 19), and where the scheduler preempts the dumping thread decides
#        the order of what it archives. On one CPU under SCHED_FIFO a thread runs until it blocks,
#        so that order no longer depends on timing: 21 of 21 dumps identical, 7 of them under load.
#        When the host refuses real-time scheduling (no CAP_SYS_NICE, no RT budget in the
#        cgroup), the dump runs normally and target/image/cds-dump-scheduling says so:
#        scripts/check-reproducible.sh then leaves app.jsa out of its comparison.
#        jlink --generate-cds-archive and a dynamic top layer (ArchiveClassesAtExit) differed at
#        every build.
ln "$nvrc/bin/nvrc-init" "$work/nvrc-jvm-argv"
mapfile -t jvm < <("${on_target[@]}" "$work/nvrc-jvm-argv")
rm -f "$work/nvrc-jvm-argv"
loader=("${jvm[@]:0:7}")   # the dynamic loader, its options, java
one_cpu=(-Xint -XX:ActiveProcessorCount=1 -XX:-UseDynamicNumberOfGCThreads -XX:ParallelGCThreads=1
         -XX:ConcGCThreads=1 -XX:G1ConcRefinementThreads=1)
# Serial collector like the run time (with one CPU the JVM picks it anyway): this JDK uses archived
# heap objects (the full module graph) only with G1, so a G1 dump would only add unused bytes.
train=("${loader[@]}") dump=("${loader[@]}" -Xshare:dump "${one_cpu[@]}" -XX:+UseSerialGC -Xms128m -Xmx128m) check=("${loader[@]}")
train_tools=/usr/lib/nvrc/.train/nvrc-imagetools.jar check_tools=/usr/lib/nvrc/.check/nvrc-imagetools.jar
appended=
for a in "${jvm[@]:7}"; do
  case $a in
    "$classpath")   # the image's class path: the dump's exactly (CDS checks it); the tools only appended
      train+=("$a:$train_tools"); check+=("$a:$check_tools"); dump+=("$a"); appended=yes ;;
    -Xshare:auto) train+=(-Xshare:off); check+=(-Xshare:on) ;;
    -XX:SharedArchiveFile=*) check+=("$a"); dump+=(-XX:SharedArchiveFile=/usr/lib/nvrc/.train/app.jsa) ;;
    -XX:TieredStopAtLevel=*|-XX:CICompilerCount=*) check+=("$a") ;;
    dev.nvrc.launcher.Main)
      train+=("${one_cpu[@]}" -XX:DumpLoadedClassList=/usr/lib/nvrc/.train/loaded.lst dev.nvrc.imagetools.CdsTraining
              --scratch /usr/lib/nvrc/.train/scratch)
      check+=(dev.nvrc.imagetools.CdsTraining --quiet --cli --scratch /usr/lib/nvrc/.check/scratch) ;;
    -X*|-XX:*) train+=("$a"); check+=("$a") ;;   # the dump uses G1 (archived heap objects), a fixed heap
    *) train+=("$a"); check+=("$a"); dump+=("$a") ;;   # -D..., -cp CLASSPATH
  esac
done
[ -n "$appended" ] || die "the stub's argv has no class path '$classpath'"
dump+=(-XX:SharedClassListFile=/usr/lib/nvrc/.train/classes.lst)
mkdir -p "$nvrc/.train"
chmod 1777 "$nvrc/.train"
install -m 0644 "$tools" "$root$train_tools"
# Another architecture's JVM runs under qemu's user-mode emulator, a static program copied into the
# chroot for the runs (outside usr/lib/nvrc, removed before the tarball). Its threads are the JVM's,
# one host thread each, so taskset, setarch -R and chrt below hold for them as they do natively.
in_chroot=()
if [ -n "$cross" ]; then
  mkdir -p "$root/.nvrc-build"
  cp "${on_target[0]}" "$root/.nvrc-build/$qemu"
  in_chroot=("/.nvrc-build/$qemu")
fi
as_user=() sched=()
if [ "$(id -u)" -eq 0 ]; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
fi
in_tree() {
  local logfile=$1; shift
  if ! "${sched[@]}" taskset -c 0 setarch -R "${as_user[@]}" env -i "$(command -v unshare)" --user --map-root-user --mount --net -- \
       "$(command -v chroot)" "$root" "${in_chroot[@]}" "$@" > "$logfile" 2>&1; then
    cat "$logfile" >&2
    return 1
  fi
}
log "CDS training in a chroot: CdsTraining"
in_tree "$work/train.log" "${train[@]}" || die "CDS training failed (log above): the runtime cannot run the application"
# The list's order follows thread timing; its content does not. The classes only the boot's
# privileged paths load come from boot-classes.lst (how it is made: its header).
boot_classes=$(dirname "$(realpath "$0")")/boot-classes.lst
[ -r "$boot_classes" ] || die "no $boot_classes"
# The tools' classes (the training itself) are not on the image's class path: left out.
# Classes first, then the @ lines (lambda proxies, lambda-form invokers): the dump resolves an @ line
# against classes it has loaded already.
{ { grep -v -e '^#' -e '^@' -e 'dev/nvrc/imagetools/' "$nvrc/.train/loaded.lst"; grep -v -e '^#' -e '^$' -e '^@' "$boot_classes" || true; } | sort -u
  { grep '^@' "$nvrc/.train/loaded.lst" | grep -v 'dev/nvrc/imagetools/'; grep '^@' "$boot_classes" || true; } | sort -u; } > "$nvrc/.train/classes.lst"
if chrt --fifo 1 true 2>/dev/null; then
  sched=(chrt --fifo 1)
  echo SCHED_FIFO > "$work/cds-dump-scheduling"
else
  echo "SCHED_OTHER (chrt --fifo refused: app.jsa may differ between builds)" > "$work/cds-dump-scheduling"
  log "WARNING: real-time scheduling refused here; app.jsa may differ from another build's"
fi
in_tree "$work/dump.log" "${dump[@]}" || die "dumping the CDS archive failed (log above)"
sched=()
mv "$nvrc/.train/app.jsa" "$nvrc/app.jsa"
cp "$nvrc/.train/classes.lst" "$work/classes.lst"
rm -rf "$nvrc/.train"
chmod 0644 "$nvrc/app.jsa"
[ "$(id -u)" -ne 0 ] || chown 0:0 "$nvrc/app.jsa"
touch -h -d "@$epoch" "$nvrc/app.jsa" "$nvrc"

# The archive must really be accepted at run time: the same argv with -Xshare:on fails if not.
# The check also runs the tool-only paths (--cli: data binding), which the archive leaves out.
mkdir -p "$nvrc/.check"
chmod 1777 "$nvrc/.check"
install -m 0644 "$tools" "$root$check_tools"
in_tree "$work/check.log" "${check[@]}" || die "the trained archive is rejected with -Xshare:on, or the tool fails in the runtime (log above)"
rm -rf "$nvrc/.check"
rm -rf "$root/.nvrc-build"
log "app.jsa $(du -k "$nvrc/app.jsa" | cut -f1) kB ($(wc -l < "$work/classes.lst") classes), accepted with -Xshare:on"

# --- 8. The tarball: sorted, fixed mtime, owner 0:0, no gzip name/time. No entries for /, /sbin,
#        /usr, /usr/lib: unpacking must not replace a guest's /sbin -> usr/sbin symlink.
(cd "$root" && find init sbin/init usr/lib/nvrc -print | sort) > "$work/entries"
tar -C "$root" --no-recursion --files-from="$work/entries" --format=gnu --numeric-owner --owner=0 --group=0 \
  --mtime="@$epoch" -cf - | gzip -n -9 > "$out.tmp"
mv "$out.tmp" "$out"
(cd "$root" && find init sbin usr -type f -print0 | sort -z | xargs -0 sha256sum) > "$sums"
log "$(basename "$out"): $(du -k "$out" | cut -f1) kB compressed, $(du -sk --apparent-size "$root" | cut -f1) kB unpacked"
