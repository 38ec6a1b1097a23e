#!/usr/bin/env bash
# Builds twice from clean and compares the sha256 of the launcher jar, every jar in lib/, the SBOM
# and every file of the boot image except its class-data archive app.jsa, which the JVM does not
# always dump to the same bytes (docs/boot-image.md); whether the whole tarball matched is printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
build() {
  mvn -B -ntp -q clean package -DskipTests -Djacoco.skip=true >/dev/null
  (cd nvrc-launcher/target && sha256sum nvrc.jar lib/*.jar nvrc-sbom.json nvrc-sbom.xml \
    && grep -v ' usr/lib/nvrc/app.jsa$' nvrc-image.sha256)
  sha256sum nvrc-launcher/target/nvrc-image.tar.gz > "${TMPDIR:-/tmp}/nvrc-image.tar.gz.sha256.$1"
}
first=$(build 1)
second=$(build 2)
if [ "$first" != "$second" ]; then
  echo "check-reproducible: two clean builds differ:" >&2
  diff <(echo "$first") <(echo "$second") >&2 || true
  exit 1
fi
if cmp -s "${TMPDIR:-/tmp}/nvrc-image.tar.gz.sha256.1" "${TMPDIR:-/tmp}/nvrc-image.tar.gz.sha256.2"; then
  whole="the boot image tarball too"
else
  whole="the boot image tarball differs in app.jsa only (docs/boot-image.md)"
fi
echo "check-reproducible: two clean builds are byte-identical ($(echo "$first" | wc -l) files; $whole): $(echo "$first" | head -1)"
