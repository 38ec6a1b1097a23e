#!/usr/bin/env bash
# Builds twice from clean and compares the sha256 of the launcher jar, every jar in lib/, the SBOMs,
# the library modules' jars with their -sources.jar and -javadoc.jar (docs/library.md)
# and every file of the boot image, its class-data archive app.jsa included when both builds
# could dump it under real-time scheduling (target/image/cds-dump-scheduling; docs/boot-image.md
# says why), and then the boot image tarball as a whole.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=${TMPDIR:-/tmp}
build() {
  mvn -B -ntp -q clean package -DskipTests -Djacoco.skip=true >/dev/null
  (cd nvrc-launcher/target && sha256sum nvrc.jar lib/*.jar nvrc-sbom.json nvrc-sbom.xml nvrc-image-sbom.json \
    && cat nvrc-image.sha256) > "$tmp/nvrc-repro.$1"
  sha256sum nvrc-core/target/nvrc-*.jar nvrc-kernel/target/nvrc-*.jar nvrc-gpu/target/nvrc-*.jar \
    nvrc-fabric/target/nvrc-*.jar >> "$tmp/nvrc-repro.$1"
  sha256sum < nvrc-launcher/target/nvrc-image.tar.gz > "$tmp/nvrc-repro-tarball.$1"
  cat nvrc-launcher/target/image/cds-dump-scheduling > "$tmp/nvrc-repro-sched.$1"
}
build 1
build 2
compared=("$tmp/nvrc-repro.1" "$tmp/nvrc-repro.2")
note="app.jsa and the tarball included"
if [ "$(cat "$tmp/nvrc-repro-sched.1")" = SCHED_FIFO ] && [ "$(cat "$tmp/nvrc-repro-sched.2")" = SCHED_FIFO ]; then
  cat "$tmp/nvrc-repro-tarball.1" >> "$tmp/nvrc-repro.1"
  cat "$tmp/nvrc-repro-tarball.2" >> "$tmp/nvrc-repro.2"
else
  note="app.jsa and the tarball left out: $(cat "$tmp/nvrc-repro-sched.1" "$tmp/nvrc-repro-sched.2" | grep -v '^SCHED_FIFO$' | head -1)"
  for i in 1 2; do grep -v ' usr/lib/nvrc/app.jsa$' "$tmp/nvrc-repro.$i" > "$tmp/nvrc-repro.$i.cmp"; done
  compared=("$tmp/nvrc-repro.1.cmp" "$tmp/nvrc-repro.2.cmp")
fi
if ! cmp -s "${compared[@]}"; then
  echo "check-reproducible: two clean builds differ ($note):" >&2
  diff "${compared[@]}" >&2 || true
  exit 1
fi
echo "check-reproducible: two clean builds are byte-identical ($(wc -l < "${compared[0]}") files; $note);" \
  "nvrc-image.tar.gz $(cut -c1-16 "$tmp/nvrc-repro-tarball.1")"
