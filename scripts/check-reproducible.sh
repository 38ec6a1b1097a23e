#!/usr/bin/env bash
# Builds twice from clean and compares the sha256 of the launcher jar, every jar in lib/, the SBOMs,
# the library modules' jars with their -sources.jar and (those with an api package) -javadoc.jar
# (docs/library.md)
# and every file of the boot image, its class-data archive app.jsa included when both builds
# could dump it under real-time scheduling (target/image/cds-dump-scheduling; docs/boot-image.md
# says why), and then the boot image tarball as a whole.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=${TMPDIR:-/tmp}
# On x86_64 the aarch64 image is built and compared too (-Dnvrc.arch=aarch64, after the default
# build; its files are listed under aarch64/).
cross=()
[ "$(uname -m)" != x86_64 ] || cross=(-aarch64)
build() {
  mvn -B -ntp -q clean package -DskipTests -Djacoco.skip=true >/dev/null
  for s in "${cross[@]}"; do
    # The library jars are the same for every architecture: built once, by the default build.
    mvn -B -ntp -q package -pl nvrc-launcher -am -DskipTests -Djacoco.skip=true -Dmaven.javadoc.skip=true \
      -Dmaven.source.skip=true -Dnvrc.arch="${s#-}" >/dev/null
  done
  (cd nvrc-launcher/target && sha256sum nvrc.jar lib/*.jar nvrc-sbom.json nvrc-sbom.xml nvrc-image-sbom.json \
    && cat nvrc-image.sha256 \
    && for s in "${cross[@]}"; do sha256sum "nvrc-image$s-sbom.json"; sed "s#  #  ${s#-}/#" "nvrc-image$s.sha256"; done) \
    > "$tmp/nvrc-repro.$1"
  sha256sum nvrc-core/target/nvrc-*.jar nvrc-kernel/target/nvrc-*.jar nvrc-gpu/target/nvrc-*.jar \
    nvrc-fabric/target/nvrc-*.jar nvrc-plan/target/nvrc-*.jar >> "$tmp/nvrc-repro.$1"
  (cd nvrc-launcher/target && sha256sum nvrc-image.tar.gz && for s in "${cross[@]}"; do sha256sum "nvrc-image$s.tar.gz"; done) \
    > "$tmp/nvrc-repro-tarball.$1"
  (cd nvrc-launcher/target && cat image/cds-dump-scheduling && for s in "${cross[@]}"; do cat "image$s/cds-dump-scheduling"; done) \
    > "$tmp/nvrc-repro-sched.$1"
}
build 1
build 2
compared=("$tmp/nvrc-repro.1" "$tmp/nvrc-repro.2")
note="app.jsa and the tarball included"
if ! grep -qvx SCHED_FIFO "$tmp/nvrc-repro-sched.1" "$tmp/nvrc-repro-sched.2"; then
  cat "$tmp/nvrc-repro-tarball.1" >> "$tmp/nvrc-repro.1"
  cat "$tmp/nvrc-repro-tarball.2" >> "$tmp/nvrc-repro.2"
else
  note="app.jsa and the tarball left out: $(cat "$tmp/nvrc-repro-sched.1" "$tmp/nvrc-repro-sched.2" | grep -v '^SCHED_FIFO$' | head -1)"
  for i in 1 2; do grep -v 'usr/lib/nvrc/app.jsa$' "$tmp/nvrc-repro.$i" > "$tmp/nvrc-repro.$i.cmp"; done
  compared=("$tmp/nvrc-repro.1.cmp" "$tmp/nvrc-repro.2.cmp")
fi
if ! cmp -s "${compared[@]}"; then
  echo "check-reproducible: two clean builds differ ($note):" >&2
  diff "${compared[@]}" >&2 || true
  exit 1
fi
echo "check-reproducible: two clean builds are byte-identical ($(wc -l < "${compared[0]}") files; $note);" \
  "$(awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, substr($1, 1, 16)}' "$tmp/nvrc-repro-tarball.1")"
