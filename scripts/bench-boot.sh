#!/usr/bin/env bash
# Boot benchmark (not a test): boots the boot image under QEMU (TCG) RUNS times per scenario, then
# dev.nvrc.vmtest.BenchReport prints the medians and writes docs/performance.md (its text is
# nvrc-vmtest/src/main/resources/dev/nvrc/vmtest/performance.md). Needs root for /boot/vmlinuz-* (Debian: 0600);
# the kernel is scripts/guest-kernel.sh's (NVRC_VM_KERNEL, else the newest Debian cloud kernel).
# Usage: scripts/bench-boot.sh [RUNS] [ARCH]   RUNS default 5; ARCH (x86_64, aarch64) default
#   this machine's. Another architecture's image (-Dnvrc.arch=ARCH) boots emulated, with the
#   kernel scripts/fetch-arch.sh unpacked (NVRC_VM_KERNEL, else the newest there), and rewrites
#   only its own section of the doc; this machine's rewrites the rest and keeps that section.
#   env: NVRC_BENCH_NOBUILD=1 reuses the build; NVRC_BENCH_REPORT_ONLY=1 boots nothing and
#   rewrites the doc from the last run's figures;
#   NVRC_BENCH_LEVERS="NAME=initrd:PATH NAME=jvm:FLAG[,FLAG...] ..." boots each lever too, in the
#   same interleaved loop, and reports each as a ratio: initrd:PATH is another build's test
#   initramfs (an older commit's, a variant image), against this build; jvm:FLAGS adds JVM flags
#   after the stub's fixed ones (src/main/guest/bench-jvm), against this build started the same way
#   with no flag changed (series jvm-base), so that the wrapper's own cost cancels out;
#   NVRC_BENCH_WHAT_NAME="..." (NAME with - and . as _) says in the doc what lever NAME is (kept
#   beside its figures for NVRC_BENCH_REPORT_ONLY)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
arch_of() { case $1 in x86_64|amd64) echo x86_64 ;; aarch64|arm64) echo aarch64 ;; *) return 1 ;; esac; }
host=$(arch_of "$(uname -m)")
arch=$(arch_of "${2:-$host}") || { echo "bench-boot: unknown architecture '$2' (x86_64, aarch64)" >&2; exit 1; }
suffix=; [ "$arch" = "$host" ] || suffix=-$arch
# This machine's kernel is installed when missing; the harness (scripts/vm-boot.sh,
# dev.nvrc.vmtest.VmConfig) picks it, or another architecture's from scripts/fetch-arch.sh, by the one rule.
[ -n "$suffix" ] || scripts/guest-kernel.sh --install > /dev/null || exit 1
initrd=nvrc-vmtest/target/vm$suffix/initramfs.img
tarball=nvrc-launcher/target/nvrc-image$suffix.tar.gz
logs=nvrc-vmtest/target/bench-logs$suffix
pre="rdinit=/usr/lib/nvrc-vmtest/pre-init"

if [ -n "${NVRC_BENCH_REPORT_ONLY:-}" ]; then
  runs=   # the report counts the last run's rows
elif [ -z "${NVRC_BENCH_NOBUILD:-}" ]; then
  echo "== building the $arch boot image and the guest initramfs (mvn verify -DskipTests)"
  mvn -B -ntp -q -pl nvrc-vmtest -am verify -DskipTests -Djacoco.skip=true -Dnvrc.arch="$arch"
fi
[ -f "$initrd" ] || { echo "bench-boot: no $initrd" >&2; exit 1; }
# Each boot goes through the one VM harness: its QEMU command line (both architectures), its kernel
# rule and its console verdict; the timeout is for this machine's architecture (an emulated guest
# gets dev.nvrc.vmtest.VmConfig#EMULATED_SLOWDOWN times as long).
vm_boot() { scripts/vm-boot.sh --arch "$arch" "$@"; }
mkdir -p "$logs"

declare -A scenario=(
  [cpu]="agent.expect_devices=none"
  [gpu]="$pre vmtest.fixture=gpu1 agent.expect_daemons=nvidia-persistenced"
  [gpu-chatty]="$pre vmtest.fixture=gpu1 nvsim.chatter=1000 agent.expect_daemons=nvidia-persistenced"
  [gpu8]="$pre vmtest.fixture=gpu8 agent.expect_daemons=nvidia-persistenced"
)
order=(cpu gpu gpu-chatty gpu8)

# The levers: series names in boot order, each series' initramfs and extra command line.
declare -A series_initrd=() series_jvm=() series_against=() series_what=()
series=(base)
series_initrd[base]=$initrd
if [ -n "${NVRC_BENCH_REPORT_ONLY:-}" ]; then
  levers=$(cat "$logs/levers.txt" 2>/dev/null || true)
else
  levers=${NVRC_BENCH_LEVERS:-}
  printf '%s\n' "$levers" > "$logs/levers.txt"
fi
for l in $levers; do
  lname=${l%%=*} spec=${l#*=}
  kind=${spec%%:*} arg=${spec#*:}
  [[ $lname =~ ^[A-Za-z0-9_.-]+$ ]] && [ "$lname" != base ] && [ "$lname" != jvm-base ] && [ "$spec" != "$l" ] \
    || { echo "bench-boot: bad lever '$l' (NAME=initrd:PATH or NAME=jvm:FLAGS; NAME is letters, digits, _ . -, and not base or jvm-base, the build's own series)" >&2; exit 1; }
  case $kind in
    initrd)
      [ -f "$arg" ] || [ -n "${NVRC_BENCH_REPORT_ONLY:-}" ] || { echo "bench-boot: lever $lname: no initramfs $arg" >&2; exit 1; }
      series_initrd[$lname]=$arg series_against[$lname]=base series_what[$lname]="initramfs \`$arg\`" ;;
    jvm)
      [[ $arg =~ ^-[-A-Za-z0-9_.:=+,/]*$ ]] || { echo "bench-boot: lever $lname: flags '$arg' (comma-separated, no spaces)" >&2; exit 1; }
      if [ -z "${series_initrd[jvm-base]:-}" ]; then
        series+=(jvm-base)
        series_initrd[jvm-base]=$initrd series_jvm[jvm-base]=-Xshare:auto   # a flag the stub has already
      fi
      series_initrd[$lname]=$initrd series_jvm[$lname]=$arg series_against[$lname]=jvm-base
      series_what[$lname]="JVM flags \`${arg//,/ }\`" ;;
    *) echo "bench-boot: lever $lname: unknown kind '$kind' (initrd, jvm)" >&2; exit 1 ;;
  esac
  what_var=NVRC_BENCH_WHAT_${lname//[-.]/_}
  if [ -n "${!what_var:-}" ]; then
    series_what[$lname]=${!what_var}
  elif [ -n "${NVRC_BENCH_REPORT_ONLY:-}" ] && [ -f "$logs/$lname/what.txt" ]; then
    series_what[$lname]=$(cat "$logs/$lname/what.txt")   # as the run that booted it said
  fi
  series+=("$lname")
done
# A series' figures: base in $logs/<scenario>.tsv as always, the others under $logs/<series>/.
tsv() { if [ "$1" = base ]; then echo "$logs/$2.tsv"; else echo "$logs/$1/$2.tsv"; fi; }

# Interleaved (run 1 of every scenario and series, then run 2, ...) so that the host's load drift,
# large on a shared machine, spreads over the scenarios and levers instead of biasing one of them.
if [ -z "${NVRC_BENCH_REPORT_ONLY:-}" ]; then
for sr in "${series[@]}"; do
  [ "$sr" = base ] || { mkdir -p "$logs/$sr"; printf '%s\n' "${series_what[$sr]:-}" > "$logs/$sr/what.txt"; }
  for name in "${order[@]}"; do : > "$(tsv "$sr" "$name")"; done
done
for i in $(seq 1 "$runs"); do
  for name in "${order[@]}"; do
  for sr in "${series[@]}"; do
    log=$logs/$name-$i.log
    [ "$sr" = base ] || log=$logs/$sr/$name-$i.log
    append=${scenario[$name]}
    if [ -n "${series_jvm[$sr]:-}" ]; then
      # The gpu scenarios' pre-init hands over to bench-jvm when the variable is set; cpu has none.
      case $append in *rdinit=*) ;; *) append="$append rdinit=/usr/lib/nvrc-vmtest/bench-jvm" ;; esac
      append="$append NVRC_BENCH_JVM=${series_jvm[$sr]}"
    fi
    rc=0
    rm -f "${log%.log}.outcome" "${log%.log}.figures.tsv"
    vm_boot --name "$(basename "$log" .log)" --out "$(dirname "$log")" --initrd "${series_initrd[$sr]}" \
      --cmdline "$append" --timeout 300 > /dev/null 2> "$logs/vm-boot.err" || rc=$?
    [ "$rc" -ne 2 ] && [ -f "${log%.log}.figures.tsv" ] || { echo "bench-boot: no boot: $(head -1 "$logs/vm-boot.err")" >&2; exit 1; }
    # The boot's raw row, read from its console by the harness (dev.nvrc.vmtest.BootFigures): ok|FAIL,
    # /init to handoff (incl. the test pre-init), /init to JVM main, first step, VmHWM, drainer RssAnon, Run /init, QEMU wall,
    # marker seen after, RssAnon, file pages, nvrc /init to handoff.
    row=$(cat "${log%.log}.figures.tsv")
    printf '%s\n' "$row" >> "$(tsv "$sr" "$name")"
    IFS=$'\t' read -r ok handoff jvm first hwm drain _ wall marker _ _ nvrc <<< "$row"
    label=$name; [ "$sr" = base ] || label="$name [$sr]"
    echo "$label run $i: $ok init->handoff=${handoff}s nvrc_init->handoff=${nvrc}s jvm->main=${jvm}s first_step_ms=$first VmHWM=${hwm}kB drainer_RssAnon=${drain}kB marker_seen_after=${marker}ms qemu=${wall}s"
  done
  done
done
fi
# The report: medians, the tables, the targets and docs/performance.md (its hand-written notes and
# the other architecture's section kept), from the rows and consoles under $logs.
cp_file=nvrc-vmtest/target/classpath.txt
[ -f "$cp_file" ] || { echo "bench-boot: nvrc-vmtest is not built (mvn -pl nvrc-vmtest -am package -DskipTests)" >&2; exit 1; }
args=(--logs "$logs" --arch "$arch" --doc docs/performance.md --tarball "$tarball"
  --image-root "nvrc-launcher/target/image$suffix/root" --initrd "$initrd")
[ -z "$runs" ] || args+=(--runs "$runs")
[ -z "$suffix" ] || args+=(--other-arch)
for sr in "${series[@]}"; do
  [ "$sr" = base ] && continue
  if [ -n "${series_against[$sr]:-}" ]; then
    args+=(--lever "$sr" "${series_against[$sr]}" "${series_what[$sr]}")
  else
    args+=(--series "$sr")
  fi
done
exec java -cp "nvrc-vmtest/target/classes:$(cat "$cp_file")" dev.nvrc.vmtest.BenchReport "${args[@]}"
