#!/usr/bin/env bash
# Proves docs/library.md as a new user would follow it, from the page alone:
#   1. runs the page's install command ("Getting the jars") into a throwaway local repository;
#   2. builds a consumer project outside the reactor from the page's pom.xml, its four example
#      blocks (as example/Examples.java, their imports at the top) and its Main, with the page's
#      own build commands, against that repository only;
#   3. runs it on a fixture root with two GPUs and their driver's files, and checks that the plan it
#      writes is byte for byte what `nvrc plan --json` prints for the same command line and root.
# Prints the time of the install and of the consumer's build. Nothing is mounted or loaded: the
# fixture's device nodes are 0:0 character devices, which any user may make.
#
# The throwaway repository is seeded, read-only, from ~/.m2/repository (a file:// repository in a
# settings file of its own, before Maven Central), so that a machine that has built nvrc once does
# not download every plugin again; NVRC_LIBRARY_CHECK_SEED=none leaves the seed out (everything then
# comes from Maven Central). KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."
doc=docs/library.md
work=$(mktemp -d "${TMPDIR:-/tmp}/nvrc-library-check.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
repo=$work/repo
die() { echo "library-check: $*" >&2; exit 1; }

# The fenced blocks of a language in the page, each to $2/<n>.<lang> (numbered from 1).
blocks() {
  awk -v lang="$1" -v out="$2" '
    $0 == "```" lang { n++; inside = 1; next }
    inside && $0 == "```" { inside = 0; next }
    inside { print > (out "/" n "." lang) }' "$doc"
}
mkdir -p "$work/blocks"
blocks sh "$work/blocks"
blocks java "$work/blocks"
blocks xml "$work/blocks"

settings=$work/settings.xml
if [ "${NVRC_LIBRARY_CHECK_SEED:-}" = none ]; then
  printf '<settings/>\n' > "$settings"
else
  cat > "$settings" <<EOF
<settings>
  <profiles>
    <profile>
      <id>seed</id>
      <repositories>
        <repository><id>seed</id><url>file://$HOME/.m2/repository</url></repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository><id>seed</id><url>file://$HOME/.m2/repository</url></pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>seed</activeProfile></activeProfiles>
</settings>
EOF
fi
repo_flags=(-s "$settings" -Dmaven.repo.local="$repo")

# --- 1. The page's install command, as written, into the throwaway repository.
install=$(grep -h '^mvn .* install ' "$work"/blocks/*.sh | head -1)
[ -n "$install" ] || die "no install command (mvn ... install ...) in $doc"
echo "library-check: $install"
start=$(date +%s)
eval "$install -q ${repo_flags[*]@Q}"
install_s=$(( $(date +%s) - start ))
installed=$(cd "$repo/dev/nvrc" && ls)
echo "library-check: installed in ${install_s} s: $(echo $installed)"
for a in nvrc-core nvrc-gpu nvrc-fabric nvrc-plan nvrc-parent; do
  [ -d "$repo/dev/nvrc/$a" ] || die "$a was not installed"
done
for a in nvrc-launcher nvrc-imagetools nvrc-testkit nvrc-vmtest; do
  [ ! -d "$repo/dev/nvrc/$a" ] || die "$a was installed, though it is never to be"
done

# --- 2. The consumer, from the page: its only xml block is the pom, its java blocks are the four
# examples (imports first) and the Main.
consumer=$work/consumer
mkdir -p "$consumer/src/main/java/example"
xml=$(ls "$work"/blocks/*.xml)
[ "$(echo "$xml" | wc -l)" = 1 ] || die "expected one xml block (the consumer pom) in $doc"
cp "$xml" "$consumer/pom.xml"
java_blocks=$(ls "$work"/blocks/*.java | sort -V)
[ "$(echo "$java_blocks" | wc -l)" = 5 ] || die "expected five java blocks (four examples, Main) in $doc"
examples=$(echo "$java_blocks" | head -4)
{
  echo "package example;"
  echo
  grep -h '^import ' $examples | sort -u
  echo
  echo "public final class Examples {"
  grep -hv '^import ' $examples
  echo "}"
} > "$consumer/src/main/java/example/Examples.java"
cp "$(echo "$java_blocks" | tail -1)" "$consumer/src/main/java/example/Main.java"
# The page's build commands (the block that compiles the consumer), with the throwaway repository.
build=$(grep -l '^mvn .* compile$' "$work"/blocks/*.sh | head -1)
[ -n "$build" ] || die "no consumer build commands in $doc"
start=$(date +%s)
while read -r line; do
  case "$line" in
    mvn\ *) echo "library-check: $line"; (cd "$consumer" && eval "$line ${repo_flags[*]@Q}") ;;
  esac
done < "$build"
build_s=$(( $(date +%s) - start ))
echo "library-check: consumer built in ${build_s} s"

# --- 3. A fixture root: two GPUs in sysfs, the driver's view of them, their nodes, libcuda.
root=$work/root
version=570.172.08
uuid0=GPU-4cf8db2d-06c0-7d70-1a51-e59b25b2c16c
uuid1=GPU-9e5f3a10-7b2c-4d8e-a1f6-0c3b5d7e9f21
gpu() { # bdf uuid minor
  local d=$root/sys/bus/pci/devices/$1
  mkdir -p "$d" "$root/proc/driver/nvidia/gpus/$1"
  echo 0x10de > "$d/vendor"; echo 0x2330 > "$d/device"; echo 0x030200 > "$d/class"
  printf 'Model: \t\t NVIDIA H100 80GB HBM3\nGPU UUID: \t %s\nBus Location: \t %s\nDevice Minor: \t %s\n' \
    "$2" "$1" "$3" > "$root/proc/driver/nvidia/gpus/$1/information"
}
gpu 0000:41:00.0 "$uuid0" 0
gpu 0000:c1:00.0 "$uuid1" 1
printf 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  %s  Sat Jun 21 09:58:23 UTC 2025\n' "$version" \
  > "$root/proc/driver/nvidia/version"
case "$(uname -m)" in x86_64) triplet=x86_64-linux-gnu ;; aarch64) triplet=aarch64-linux-gnu ;; *) die "unknown arch" ;; esac
mkdir -p "$root/usr/lib/$triplet" "$root/dev"
echo elf > "$root/usr/lib/$triplet/libcuda.so.$version"
for n in nvidia0 nvidia1 nvidiactl; do mknod "$root/dev/$n" c 0 0 && chmod 666 "$root/dev/$n"; done

cmdline='nvrc.dcgm=on nvrc.smi.lgc=1980'
# What nvrc itself prints for the same root: the launcher's plan command, built here.
mvn -B -ntp -q package -pl nvrc-launcher -am -DskipTests -Dnvrc.image.skip=true -Djacoco.skip=true \
  -Dspotbugs.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
java -jar nvrc-launcher/target/nvrc.jar plan --cmdline "$cmdline" --root "$root" --json > "$work/nvrc-plan.json"

run=$(grep -h '^java -cp ' "$build" | head -1)
[ -n "$run" ] || die "no java command in the consumer's build block"
echo "library-check: ${run%% example.Main*} example.Main $root '$cmdline' plan.json"
out=$(cd "$consumer" && java -cp "target/classes:$(cat cp.txt)" example.Main "$root" "$cmdline" "$work/plan.json")
printf '%s\n' "$out" | sed 's/^/  | /'
expect() { printf '%s\n' "$out" | grep -qxF -- "$1" || die "the consumer did not print: $1"; }
expect "1980 MHz"
expect "gpu (2 GPU, 0 NVSwitch, 0 SW_MNG NIC; fabric none)"
expect "nv-hostengine: /bin/nv-hostengine -n --service-account nvidia-dcgm --home-dir /tmp --pid /run/nvhostengine.pid --log-filename /run/nv-hostengine.log (awaits Started host engine version)"
expect "nvidia-smi -lgc: /bin/nvidia-smi -lgc 1980"
expect "cdi devices: [0, $uuid0, 1, $uuid1, all]"
expect "[0, $uuid0, 1, $uuid1, all]"
cmp "$work/plan.json" "$work/nvrc-plan.json" || die "the consumer's plan differs from nvrc plan --json"
[ -f "$root/var/run/cdi/nvidia.json" ] || die "the consumer wrote no CDI spec"
echo "library-check: OK: install ${install_s} s, consumer build ${build_s} s; the consumer's plan is nvrc plan --json" \
  "($(wc -c < "$work/plan.json") bytes)"
