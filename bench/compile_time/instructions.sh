#!/usr/bin/env bash
# The compiler's own instructions for each TU (cc1plus under valgrind's cachegrind, counting only):
# exact and repeatable where bench/compile_time/measure.sh's wall times move by a third on a busy
# machine. Same flags as measure.sh; same TU[@FLAGS] arguments. Each TU takes about 25 times its
# compile time.
#
#   bench/compile_time/instructions.sh OUT.md TU.cpp[@FLAGS]...
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
shift
cxx=${CXX:-g++}
# shellcheck disable=SC2207
flags=(-std=c++20 -O3 -Wall -Wextra -Wpedantic -Werror -I"$root/include" -I"$root/bench"
       $(pkg-config --cflags sqlite3 libpq libpqxx 2>/dev/null))
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

base=""
{
  echo "| translation unit | cc1plus instructions | ÷ handwritten_50 |"
  echo "|:---|---:|---:|"
  for entry in "$@"; do
    tu=${entry%%@*}
    extra=()
    [ "$tu" = "$entry" ] || read -r -a extra <<<"${entry#*@}"
    name=$(basename "$tu")
    [ "$tu" = "$entry" ] || name="$name ${entry#*@}"
    "$cxx" "${flags[@]}" "${extra[@]}" -c "$tu" -o "$scratch/tu.o" \
      -wrapper valgrind,--tool=cachegrind,--cache-sim=no,--cachegrind-out-file="$scratch/cg.%p" 2>"$scratch/log" ||
      { cat "$scratch/log" >&2; exit 1; }
    # The largest count is cc1plus's (the driver and the assembler count far less).
    count=$(for f in "$scratch"/cg.*; do sed -n 's/^summary: *//p' "$f"; done | sort -g | tail -1)
    rm -f "$scratch"/cg.*
    [ -n "$base" ] || base=$count
    ratio=$(awk -v c="$count" -v b="$base" 'BEGIN { printf "%.2f", c / b }')
    echo "compile_instructions $name $count ($ratio x the first TU)" >&2
    printf '| %s | %s | %s |\n' "$name" "$count" "$ratio"
  done
} >"$out"
