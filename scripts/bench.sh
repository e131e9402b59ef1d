#!/usr/bin/env bash
# Benchmark: `runbook-lint check` against the parse-only floor (walk + read + pulldown-cmark)
# on generated corpora of 1k and 10k runbooks. Not a test: it prints numbers, asserts nothing.
#   scripts/bench.sh [SIZES...]        default sizes: 1000 10000
#   scripts/bench.sh --hostile         hostile inputs at two sizes each: a single-line runbook
#                                      of 512 KB and 1 MB, and 50 000 and 100 000 findings in
#                                      SARIF; time and memory must grow linearly
# Two corpora per size: "realistic" (correct runbooks, ~1 finding per 10 files: the headline
# number) and "defects" (`gen_corpus --defects`, ~7 findings per file: a stress number for
# diagnostics and reporting).
# Each time is the best wall time of 3 runs; peak memory is the largest max-RSS of those runs.
set -euo pipefail
cd "$(dirname "$0")/.."
hostile=0
if [ "${1:-}" = --hostile ]; then
  hostile=1
  shift
fi
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)
cargo build --release --quiet --bin runbook-lint --example gen_corpus --example parse_only \
  --example gen_hostile
bin=target/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Peak RSS in KB of the process just run: /usr/bin/time when present, else the kernel's
# high-water mark read through a wrapper shell (a close upper bound).
rss_kb() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null 2>&1 || true
  else
    bash -c '"$@" >/dev/null 2>&1; awk "/VmHWM/ { print \$2 }" /proc/$$/status' _ "$@" >"$work/rss" || true
  fi
  tail -n 1 "$work/rss"
}

# Sets $best (seconds, 3 decimals) and $peak (KB) over 3 runs of the command.
measure() {
  best="" peak=0
  for _ in 1 2 3; do
    local start end t kb
    start=$(date +%s%N)
    kb=$(rss_kb "$@")
    end=$(date +%s%N)
    t=$(awk "BEGIN { printf \"%.3f\", ($end - $start) / 1e9 }")
    if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then best=$t; fi
    if [ "${kb:-0}" -gt "$peak" ]; then peak=$kb; fi
  done
}

machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2/1048576 }' /proc/meminfo)," \
    "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

if [ "$hostile" = 1 ]; then
  # Each input at two sizes: the second doubles the first, so linear costs double too (time
  # per unit and memory per unit stay flat; a quadratic cost would double them).
  printf '%-22s %-9s %-7s %-9s %-9s %-9s %-12s\n' input size format time peak-MB us/unit KB/unit
  row() { # input size unit-count format
    local dir=$1 size=$2 units=$3 format=$4
    measure "$bin/runbook-lint" check "$dir" --format "$format" --color never --today 2026-01-01
    printf '%-22s %-9s %-7s %-9s %-9s %-9s %-12s\n' "$(basename "$dir")" "$size" "$format" "${best}s" \
      "$((peak / 1024))" "$(awk "BEGIN { printf \"%.2f\", $best * 1e6 / $units }")" \
      "$(awk "BEGIN { printf \"%.2f\", $peak / $units }")"
  }
  for kb in 512 1024; do
    dir="$work/long-line-${kb}k"
    "$bin/examples/gen_hostile" "$dir" long-line $((kb * 1024))
    units=$((kb * 1024 / 13)) # one command and one finding per 13 bytes
    for format in json sarif human; do row "$dir" "${kb}KB" "$units" "$format"; done
    rm -rf "$dir"
  done
  for n in 50000 100000; do
    dir="$work/findings-$n"
    "$bin/examples/gen_hostile" "$dir" findings "$n"
    for format in sarif json; do row "$dir" "$n" "$n" "$format"; done
    rm -rf "$dir"
  done
  echo "units: commands (= findings) of the long line; findings of the SARIF runs"
  machine
  exit 0
fi

printf '%-10s %-7s %-11s %-11s %-7s %-8s %-11s %-7s %-8s\n' \
  corpus files parse-only check ratio peak-MB "check-json" ratio peak-MB
for kind in realistic defects; do
  flag=()
  [ "$kind" = defects ] && flag=(--defects)
  for n in "${sizes[@]}"; do
    dir="$work/$kind-$n"
    "$bin/examples/gen_corpus" "${flag[@]}" "$dir" "$n" >/dev/null
    "$bin/examples/parse_only" "$dir" >/dev/null # warm the page cache
    measure "$bin/examples/parse_only" "$dir"; floor=$best
    measure "$bin/runbook-lint" check "$dir" --color never; human=$best human_kb=$peak
    measure "$bin/runbook-lint" check "$dir" --format json; json=$best json_kb=$peak
    ratio() { awk "BEGIN { printf \"%.1fx\", $1 / ($floor > 0 ? $floor : 0.001) }"; }
    printf '%-10s %-7s %-11s %-11s %-7s %-8s %-11s %-7s %-8s\n' "$kind" "$n" "${floor}s" \
      "${human}s" "$(ratio "$human")" "$((human_kb / 1024))" "${json}s" "$(ratio "$json")" \
      "$((json_kb / 1024))"
    rm -rf "$dir"
  done
done
machine
