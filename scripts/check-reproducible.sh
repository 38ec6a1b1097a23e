#!/usr/bin/env bash
# Builds twice from clean and compares the sha256 of the launcher jar, every jar in lib/ and the SBOM.
set -euo pipefail
cd "$(dirname "$0")/.."
build() {
  mvn -B -ntp -q clean package -DskipTests -Djacoco.skip=true >/dev/null
  (cd nvrc-launcher/target && sha256sum nvrc.jar lib/*.jar nvrc-sbom.json nvrc-sbom.xml)
}
first=$(build)
second=$(build)
if [ "$first" != "$second" ]; then
  echo "check-reproducible: two clean builds differ:" >&2
  diff <(echo "$first") <(echo "$second") >&2 || true
  exit 1
fi
echo "check-reproducible: two clean builds are byte-identical: $(echo "$first" | head -1)"
