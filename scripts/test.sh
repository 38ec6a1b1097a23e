#!/usr/bin/env bash
# Runs every test of nvrc: unit, fuzz regression, schema, sandbox, podman and VM tests, coverage
# gates, static checks, and the reproducible-build check. Usage: sudo scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# Two clean builds must give byte-identical artifacts and boot image (docs/boot-image.md, "Reproducible").
scripts/check-reproducible.sh

# The test run proper.
mvn -B -ntp verify

# The aarch64 image (Grace guests), built on this x86_64 machine, and its VM proof under
# qemu-system-aarch64 TCG (docs/vm-tests.md, "Other architectures"): the image checks and three
# boots, gpu, cpu and a bad command line. Unit tests, coverage gates and SpotBugs ran above on
# the same sources; they are not run again. Its Surefire summary is the last thing printed.
if [ "$(uname -m)" = x86_64 ]; then
  mvn -B -ntp verify -pl nvrc-vmtest -am -Dnvrc.arch=aarch64 -Djacoco.skip=true -Dspotbugs.skip=true \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dnvrc.vmtest.unit=BootImageTest \
    -Dnvrc.vmtest.only='BootScenariosVmTest#gpuModeIsDetectedFromOneGpu+cpuModeIsDetectedAndHandsOffWithNoGpuWork+aBadCommandLinePowersOffNamingTheTokenBeforeAnyGpuWork'
fi
