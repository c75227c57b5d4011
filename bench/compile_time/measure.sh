#!/usr/bin/env bash
# Compiles each given translation unit with the project's flags and reports g++'s wall time and
# peak memory (GNU time's maximum resident set size), the median of -r runs. The runs are
# interleaved (TU after TU, -r times), so a slow spell of the machine touches every TU alike.
# `TU.cpp@FLAGS` compiles TU.cpp with FLAGS added (space-separated) and reports it as
# "TU.cpp FLAGS", e.g. the same TU in crucible's separate-compilation mode.
#
#   bench/compile_time/measure.sh [-r runs] [-o results.json] TU.cpp[@FLAGS]...
#   bench/compile_time/measure.sh bench/compile_time/handwritten_50.cpp bench/compile_time/crucible_50.cpp \
#     bench/compile_time/crucible_50.cpp@-DCRUCIBLE_SEPARATE_COMPILATION
#
# Flags: the release build's (-std=c++20 -O3 -Wall -Wextra -Wpedantic -Werror, include/ and the
# drivers' include paths); CXX picks the compiler (default g++), EXTRA_CXXFLAGS adds flags.
# Prints one line per TU: "compile_time <tu> <seconds> s <MiB> MiB".
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=1
out=""
while getopts "r:o:" option; do
  case $option in
    r) runs=$OPTARG ;;
    o) out=$OPTARG ;;
    *) echo "usage: $0 [-r runs] [-o results.json] TU.cpp[@FLAGS]..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-r runs] [-o results.json] TU.cpp[@FLAGS]..." >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time missing: run scripts/install-deps (package 'time')" >&2; exit 1; }

cxx=${CXX:-g++}
# shellcheck disable=SC2207
flags=(-std=c++20 -O3 -Wall -Wextra -Wpedantic -Werror -I"$root/include" -I"$root/bench"
       $(pkg-config --cflags sqlite3 libpq libpqxx 2>/dev/null) ${EXTRA_CXXFLAGS:-})
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

json_entries=()
for _ in $(seq "$runs"); do
  i=0
  for entry in "$@"; do
    i=$((i + 1))
    tu=${entry%%@*}
    extra=()
    [ "$tu" = "$entry" ] || read -r -a extra <<<"${entry#*@}"
    if ! /usr/bin/time -v -o "$scratch/time.txt" "$cxx" "${flags[@]}" "${extra[@]}" -c "$tu" -o "$scratch/tu.o" \
        2>"$scratch/errors"; then
      cat "$scratch/errors" >&2
      echo "compile_time $entry failed" >&2
      exit 1
    fi
    # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:03.41"
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' \
      "$scratch/time.txt" >>"$scratch/times.$i"
    awk -F': ' '/Maximum resident set size/ { print $2 / 1024 }' "$scratch/time.txt" >>"$scratch/memory.$i"
  done
done
i=0
for entry in "$@"; do
  i=$((i + 1))
  tu=${entry%%@*}
  name=$(basename "$tu")
  [ "$tu" = "$entry" ] || name="$name ${entry#*@}"
  seconds=$(median <"$scratch/times.$i")
  mebibytes=$(median <"$scratch/memory.$i")
  printf 'compile_time %s %.2f s %.0f MiB\n' "$name" "$seconds" "$mebibytes"
  json_entries+=("{\"tu\": \"$name\", \"seconds\": $seconds, \"peak_mib\": $mebibytes, \"runs\": $runs}")
done

if [ -n "$out" ]; then
  {
    echo "{\"compiler\": \"$("$cxx" --version | head -1)\", \"flags\": \"${flags[*]}\", \"date\": \"$(date -u +%FT%TZ)\","
    echo " \"translation_units\": ["
    sep=""
    for entry in "${json_entries[@]}"; do
      echo "  $sep$entry"
      sep=","
    done
    echo " ]}"
  } >"$out"
fi
