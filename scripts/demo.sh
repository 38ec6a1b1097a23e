#!/usr/bin/env bash
# The main job: builds nvrc and shows what it does with a kernel command line.
# Usage: sudo scripts/demo.sh ['KERNEL COMMAND LINE']
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mvn -B -ntp -q package -DskipTests
line=${1:-"console=ttyS0 nvrc.log=info nvrc.smi.lgc=1980 nvrc.smi.pl=700 nvrc.dcgm=on"}
echo "== nvrc version"
java -jar nvrc-launcher/target/nvrc.jar version
echo "== effective configuration of: $line"
java -jar nvrc-launcher/target/nvrc.jar check-cmdline "$line"
