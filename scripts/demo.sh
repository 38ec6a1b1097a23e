#!/usr/bin/env bash
# The main job: builds nvrc and its boot image, shows what it makes of a kernel command line, then
# boots a simulated one-GPU Kata guest with it under QEMU and shows the boot: the NVIDIA tools it
# ran, the boot timeline from /run/nvrc/boot.json and the CDI devices kata-agent would hand out.
# Usage: sudo scripts/demo.sh ['KERNEL COMMAND LINE']
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
line=${1:-"console=ttyS0 nvrc.log=info nvrc.smi.lgc=1980 nvrc.smi.pl=700 nvrc.dcgm=on"}
jar=nvrc-launcher/target/nvrc.jar

echo "== building nvrc, its boot image and the VM test guest (mvn verify -DskipTests)"
[ -n "${NVRC_DEMO_NOBUILD:-}" ] || mvn -B -ntp -q -pl nvrc-vmtest -am verify -DskipTests -Djacoco.skip=true
echo "== nvrc version"
java -jar "$jar" version
echo "== effective configuration of: $line"
java -jar "$jar" check-cmdline "$line"

kernel=${NVRC_VM_KERNEL:-/boot/vmlinuz-6.1.0-56-cloud-amd64}
if ! command -v qemu-system-x86_64 >/dev/null || [ ! -r "$kernel" ]; then
  echo "== no QEMU or no readable $kernel: skipping the VM boot (run as root after scripts/setup.sh)"
  exit 0
fi
# The guest: the boot image + busybox + simulated NVIDIA tools + a stub kata-agent that checks
# what it was handed; the test pre-init shows the kernel one simulated H100 (docs/vm-tests.md).
nvrc_tokens=$(tr ' ' '\n' <<< "$line" | grep '^nvrc\.' | tr '\n' ' ' || true)
daemons=nvidia-persistenced
[[ " $nvrc_tokens" == *" nvrc.dcgm=on "* ]] && daemons+=,nv-hostengine,dcgm-exporter
# loglevel=7: nvrc's own info lines reach the console too (the kernel's are filtered out below).
cmdline="console=ttyS0 panic=-1 quiet loglevel=7 rdinit=/usr/lib/nvrc-vmtest/pre-init vmtest.fixture=gpu1 ${nvrc_tokens}agent.expect_daemons=$daemons"
out=nvrc-vmtest/target/demo
mkdir -p "$out"
echo "== booting a one-GPU guest under QEMU (TCG, some seconds): $cmdline"
start=$(date +%s.%N)
timeout 300 qemu-system-x86_64 -machine q35 -cpu max -m 1024 -smp 2 -nodefaults -no-user-config -display none \
  -serial stdio -no-reboot -kernel "$kernel" -initrd nvrc-vmtest/target/vm/initramfs.img -append "$cmdline" \
  </dev/null > "$out/console.log" 2>&1 || true
tr -d '\r' < "$out/console.log" > "$out/console.txt"
echo "   QEMU ran $(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {printf "%.1f", a - b}') s; console: $out/console.txt"

section() { sed -n "/^$1/,/^$2\$/p" "$out/console.txt" | sed '1d;$d'; }
echo "== what nvrc logged and the NVIDIA tools it ran (simulated)"
grep -E '\] (nvrc: |NVSIM )' "$out/console.txt" | sed 's/^\[ *[0-9.]*\] /   /' || true
echo "== the boot, step by step (/run/nvrc/boot.json)"
section BOOT-JSON-BEGIN BOOT-JSON-END > "$out/boot.json"
if [ -s "$out/boot.json" ]; then
  java -jar "$jar" analyze "$out/boot.json" --svg "$out/boot.svg" | sed 's/^/   /'
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
grep -E '^AGENT-(CHECK|DONE|UPTIME|KERNEL-RUN-INIT|DRAINER)' "$out/console.txt" | sed 's/^/   /' || true
if grep -q '^AGENT-DONE passed=[0-9]* failed=0' "$out/console.txt" && grep -q 'reboot: Power down' "$out/console.txt"; then
  echo "== HANDOFF_OK: PID 1 is kata-agent, every check passed, the VM powered off"
else
  echo "== the boot did not hand off cleanly; failure line:"
  grep -m1 -E 'nvrc: FAILED|AGENT-CHECK .* FAIL|Kernel panic' "$out/console.txt" || tail -5 "$out/console.txt"
  exit 1
fi
