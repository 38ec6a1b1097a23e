#!/usr/bin/env bash
# Boots the guest once through the one VM harness, dev.nvrc.vmtest.VmBoot (the QEMU command line of
# both architectures, the guest-kernel rule, the console verdict; docs/vm-tests.md, "One harness"),
# as built by `mvn -pl nvrc-vmtest -am package` (its class path: nvrc-vmtest/target/classpath.txt).
# Usage: scripts/vm-boot.sh --name NAME --cmdline 'TOKENS' [--initrd PATH] [--kernel PATH]
#          [--arch x86_64|aarch64] [--out DIR] [--timeout SECONDS] [--print-command]
# Writes DIR/NAME.log (console), DIR/NAME.boot.json, DIR/NAME.outcome ("<OUTCOME> <s> [<why>]",
# also on stdout); exit 0 only on HANDOFF_OK, 1 on another outcome, 2 when nothing was booted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
classes=$root/nvrc-vmtest/target/classes
cp_file=$root/nvrc-vmtest/target/classpath.txt
if [ ! -f "$classes/dev/nvrc/vmtest/VmBoot.class" ] || [ ! -f "$cp_file" ]; then
  echo "vm-boot: nvrc-vmtest is not built (mvn -pl nvrc-vmtest -am package -DskipTests)" >&2
  exit 2
fi
exec java -cp "$classes:$(cat "$cp_file")" dev.nvrc.vmtest.VmBoot "$@"
