#!/usr/bin/env bash
# Syslog reader benchmark (not a test): the simulated nvidia-persistenced logs CHATTER lines and
# then its readiness marker to an nvrc syslog sink on a scratch socket, ROUNDS times in one JVM,
# natively and then with the JVM under qemu-x86_64 (an emulated CPU, like the TCG guest's; the
# daemon stays native). Prints a line a round: how late the marker was seen and the reader's cost
# a datagram. Runs unprivileged; the JVM gets the boot stub's flags.
# Usage: scripts/bench-syslog.sh [CHATTER] [ROUNDS]   default 5000 and 3.
#   env: NVRC_BENCH_NOBUILD=1 reuses the build (nvrc-kernel test classes, nvsim);
#        NVRC_BENCH_JVM_FLAGS replaces the flags; NVRC_BENCH_NATIVE_ONLY=1 skips the emulated run.
set -euo pipefail
cd "$(dirname "$0")/.."
chatter=${1:-5000}
rounds=${2:-3}
if [ -z "${NVRC_BENCH_NOBUILD:-}" ]; then
  mvn -B -q -pl nvrc-kernel,nvrc-testkit -am install -DskipTests
fi
nvsim=nvrc-testkit/target/nvsim/nvsim
[ -x "$nvsim" ] || { echo "bench-syslog: no $nvsim (build first, or drop NVRC_BENCH_NOBUILD)" >&2; exit 1; }
cp_file=nvrc-kernel/target/bench-syslog.classpath
mvn -B -q -o -pl nvrc-kernel dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null 2>&1 \
  || { echo "bench-syslog: cannot resolve nvrc-kernel's test classpath (build first)" >&2; exit 1; }
cp=nvrc-kernel/target/test-classes:nvrc-kernel/target/classes:$(cat "$cp_file")
# The flags src/main/c/init.c gives the boot JVM that change how Java code runs.
flags=${NVRC_BENCH_JVM_FLAGS:--XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -Xss256k -Xmx16m -Xms4m -XX:-UsePerfData -XX:ReservedCodeCacheSize=16m -Dfile.encoding=UTF-8}
scratch=$(mktemp -d /tmp/nvrc-bench-syslog.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
java=$(readlink -f "$(command -v java)")
echo "bench-syslog: $chatter lines before the marker, $rounds rounds; net.unix.max_dgram_qlen=$(cat /proc/sys/net/unix/max_dgram_qlen)"
echo "== native"
# shellcheck disable=SC2086
"$java" $flags -cp "$cp" dev.nvrc.kernel.syslog.SyslogReaderBench "$nvsim" "$scratch/native" "$chatter" "$rounds"
if [ -z "${NVRC_BENCH_NATIVE_ONLY:-}" ]; then
  emulator=$(command -v "qemu-$(uname -m)-static" || command -v "qemu-$(uname -m)") \
    || { echo "bench-syslog: no qemu-$(uname -m)(-static) for the emulated run (qemu-user-static)" >&2; exit 1; }
  echo "== emulated ($emulator -cpu max)"
  # shellcheck disable=SC2086
  "$emulator" -cpu max "$java" $flags -cp "$cp" dev.nvrc.kernel.syslog.SyslogReaderBench "$nvsim" "$scratch/emulated" "$chatter" "$rounds"
fi
