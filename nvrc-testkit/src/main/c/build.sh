#!/bin/sh
# Builds the simulated NVIDIA toolset (nvsim.c) for the tests: one static program in <out>, a hard
# link to it under each tool's name, and a copy on the class path for SimulatedTools.binary().
# Called by the Maven build (exec-maven-plugin); skips the compile when nvsim is up to date.
# usage: build.sh <source dir> <out dir> <classes dir>
set -eu
src=$1
out=$2
classes=$3
cc=${CC:-gcc}

mkdir -p "$out" "$classes/dev/nvrc/testkit/nvsim"
if [ ! -x "$out/nvsim" ] || [ "$src/nvsim.c" -nt "$out/nvsim" ] || [ "$0" -nt "$out/nvsim" ]; then
    "$cc" -static -O2 -Wall -Wextra -Werror -o "$out/nvsim.tmp" "$src/nvsim.c"
    mv -f "$out/nvsim.tmp" "$out/nvsim"
fi
for tool in $("$out/nvsim" --list); do
    ln -f "$out/nvsim" "$out/$tool"
done
cp -p "$out/nvsim" "$classes/dev/nvrc/testkit/nvsim/nvsim"
