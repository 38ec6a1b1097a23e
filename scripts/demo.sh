#!/usr/bin/env bash
# The main job: builds nvrc and its boot image, shows what it makes of a kernel command line, then
# boots a simulated one-GPU Kata guest with it under QEMU and shows the boot: the NVIDIA tools it
# ran, the boot timeline from /run/nvrc/boot.json and the CDI devices kata-agent would hand out.
# Its last line is the verdict: "== HANDOFF_OK: ..." (exit 0) when the guest handed PID 1 to the
# agent, else "== NO_HANDOFF: <why>" (exit 1). It never exits 0 without having booted.
# Usage: sudo scripts/demo.sh ['KERNEL COMMAND LINE']   env: NVRC_VM_KERNEL (else scripts/guest-kernel.sh
#   picks the newest Debian cloud kernel), NVRC_DEMO_NOBUILD=1 reuses the last build
set -euo pipefail
cd "$(dirname "$0")/.."
verdict=
stage="installing what is missing (scripts/setup.sh --demo)"
# Whatever stops the demo early, its last line says so.
trap 'rc=$?; if [ -z "$verdict" ]; then echo "== NO_HANDOFF: the demo stopped while $stage (exit $rc)"; fi' EXIT
no_handoff() { verdict=1; echo "== NO_HANDOFF: $*"; exit 1; }
scripts/setup.sh --demo
line=${1:-"console=ttyS0 nvrc.log=info nvrc.smi.lgc=1980 nvrc.smi.pl=700 nvrc.dcgm=on"}
jar=nvrc-launcher/target/nvrc.jar

stage="building nvrc, its boot image and the VM test guest"
echo "== $stage (mvn verify -DskipTests)"
[ -n "${NVRC_DEMO_NOBUILD:-}" ] || mvn -B -ntp -q -pl nvrc-vmtest -am verify -DskipTests -Djacoco.skip=true
stage="running nvrc version"
echo "== nvrc version"
java -jar "$jar" version
stage="checking the command line"
echo "== effective configuration of: $line"
java -jar "$jar" check-cmdline "$line" || no_handoff "nvrc refuses the command line (above): nothing to boot"

out=nvrc-vmtest/target/demo
mkdir -p "$out"
# Installs the guest kernel if none is there; the harness below picks it by the same rule.
kernel=$(scripts/guest-kernel.sh --install 2> "$out/guest-kernel.err") || no_handoff "$(tail -1 "$out/guest-kernel.err")"
[ -f nvrc-vmtest/target/vm/initramfs.img ] || no_handoff "no guest initramfs (nvrc-vmtest/target/vm/initramfs.img): build without NVRC_DEMO_NOBUILD"
stage="booting the guest"
# The guest: the boot image + busybox + simulated NVIDIA tools + a stub kata-agent that checks
# what it was handed; the test pre-init shows the kernel one simulated H100 (docs/vm-tests.md).
nvrc_tokens=$(tr ' ' '\n' <<< "$line" | grep '^nvrc\.' | tr '\n' ' ' || true)
daemons=nvidia-persistenced
[[ " $nvrc_tokens" == *" nvrc.dcgm=on "* ]] && daemons+=,nv-hostengine,dcgm-exporter
# nvrc.modules=a,b: the simulated modprobe hands these to the guest's real one, and the agent checks
# /proc/modules (the initramfs carries a few modules of the guest kernel, e.g. dummy).
modules=$(tr ' ' '\n' <<< "$line" | sed -n 's/^nvrc\.modules=//p' | tail -1)
[ -n "$modules" ] && nvrc_tokens+="nvsim.real_modules=$modules agent.expect_modules=$modules "
# After the harness's own console=ttyS0 panic=-1 quiet loglevel=5 (the last loglevel= wins):
# loglevel=7, so that nvrc's own info lines reach the console too (the kernel's are filtered out below).
scenario="loglevel=7 rdinit=/usr/lib/nvrc-vmtest/pre-init vmtest.fixture=gpu1 ${nvrc_tokens}agent.expect_daemons=$daemons"
echo "== booting a one-GPU guest under QEMU (TCG, some seconds) with $kernel: $scenario"
# The one VM harness (dev.nvrc.vmtest.VmBoot): QEMU's command line, the console's verdict; it
# writes $out/guest.log (the console), guest.boot.json and guest.outcome ("<OUTCOME> <s> [<why>]").
rc=0
rm -f "$out/guest.outcome"
scripts/vm-boot.sh --name guest --cmdline "$scenario" --initrd nvrc-vmtest/target/vm/initramfs.img --out "$out" \
  --timeout 300 > /dev/null 2> "$out/vm-boot.err" || rc=$?
[ "$rc" -ne 2 ] && [ -f "$out/guest.outcome" ] || no_handoff "no boot: $(head -1 "$out/vm-boot.err")"
read -r outcome wall why < "$out/guest.outcome"
console=$out/guest.log
echo "   QEMU ran $wall s; console: $console"

section() { sed -n "/^$1/,/^$2\$/p" "$console" | sed '1d;$d'; }
echo "== what nvrc logged and the NVIDIA tools it ran (simulated)"
grep -E '\] (nvrc: |NVSIM )' "$console" | sed 's/^\[ *[0-9.]*\] /   /' || true
echo "== the boot, step by step (/run/nvrc/boot.json)"
if [ -s "$out/guest.boot.json" ]; then
  java -jar "$jar" analyze "$out/guest.boot.json" --svg "$out/boot.svg" | sed 's/^/   /'
else
  echo "   (no boot report: the boot did not reach the agent)"
fi
echo "== CDI devices kata-agent would hand to containers (/var/run/cdi/nvidia.json)"
section CDI-SPEC-BEGIN CDI-SPEC-END > "$out/nvidia.json"
if [ -s "$out/nvidia.json" ]; then
  grep -oP '"kind"\s*:\s*"\K[^"]+' "$out/nvidia.json" | head -1 | sed 's/^/   kind: /'
  grep -oP '"name"\s*:\s*"\K[^"]+' "$out/nvidia.json" | sed 's/^/   device: /'
else
  echo "   (none)"
fi
echo "== what the stub kata-agent found"
grep -E '^AGENT-(CHECK|DONE|UPTIME|KERNEL-RUN-INIT|DRAINER)' "$console" | sed 's/^/   /' || true
if [ "$outcome" = HANDOFF_OK ]; then
  verdict=1
  echo "== HANDOFF_OK: PID 1 is kata-agent, every check passed, the VM powered off"
else
  no_handoff "$outcome: $why"
fi
