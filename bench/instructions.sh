#!/usr/bin/env bash
# Instructions of each workload's timed call, crucible against raw, counted by callgrind: on a busy
# or noisy machine these figures repeat exactly where times do not. Each benchmark runs one timed
# iteration (after its untimed warm-up), and callgrind counts only inside bench::measured, the one
# function every timed call goes through, which turns the count on and off with callgrind's client
# requests (bench/harness.hpp); on PostgreSQL that is the client's work alone, the server being
# another process.
#
#   bench/instructions.sh BUILD_DIR sqlite|postgres OUT.md   (postgres: inside pg_virtualenv)
set -euo pipefail
dir=$1 backend=$2 out=$3
binary="$dir/bench/${backend}_bench"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
benchmarks=(trivial_query/1 trivial_query/100 trivial_query/10000 medium_complex/1 medium_complex/100
            medium_complex/10000 single_insert/10000 bulk_insert/100000 associations/100 short_select/10000)

count() { # workload/N library -> instructions of the timed call
  local workload=${1%/*} n=${1#*/}
  # LD_BIND_NOW: every shared-library symbol is bound when the program loads. Lazily, a symbol the
  # program first calls in the timed iteration (one the warm-up's path did not need, e.g. memcmp on
  # a statement cache hit) would add about 1,000 instructions of the dynamic linker's lookup, paid
  # once per process, to that workload's figure.
  LD_BIND_NOW=1 valgrind --tool=callgrind --collect-atstart=no \
    --callgrind-out-file="$scratch/cg.out" "$binary" --benchmark_filter="^$workload/$2/$n(/real_time)?\$" \
    --benchmark_min_time=0 >"$scratch/log" 2>&1 || { cat "$scratch/log" >&2; return 1; }
  sed -n 's/^summary: //p' "$scratch/cg.out"
}

{
  echo "| $backend: instructions of one timed call | raw | crucible | crucible ÷ raw |"
  echo "|:---|---:|---:|---:|"
  for b in "${benchmarks[@]}"; do
    raw=$(count "$b" raw)
    crucible=$(count "$b" crucible)
    ratio=$(awk -v c="$crucible" -v r="$raw" 'BEGIN { printf "%.3f", c / r }')
    echo "instructions $backend $b raw $raw crucible $crucible ratio $ratio" >&2
    printf '| %s | %s | %s | %s |\n' "$b" "$raw" "$crucible" "$ratio"
  done
} >"$out"
