#!/usr/bin/env bash
# Runs every test of nvrc: unit, fuzz regression, schema, sandbox, podman and VM tests, coverage
# gates, static checks, and the reproducible-build check. Usage: sudo scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# Two clean builds must give byte-identical artifacts and boot image (docs/boot-image.md, "Reproducible").
scripts/check-reproducible.sh

# The test run proper; its Surefire summary is the last thing printed.
mvn -B -ntp verify
