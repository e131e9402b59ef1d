#!/usr/bin/env bash
# Benchmark: `runbook-lint check` against the parse-only floor (walk + read + pulldown-cmark)
# on generated corpora of 1k and 10k runbooks. Not a test: it prints numbers, asserts nothing.
#   scripts/bench.sh [SIZES...]        default sizes: 1000 10000
# Each measurement is the best wall time of 3 runs; peak memory is the max RSS of the check.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)
cargo build --release --quiet --bin runbook-lint --example gen_corpus --example parse_only
bin=target/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Best-of-3 wall seconds; also leaves the peak RSS (KB) of the last run in $peak_kb.
measure() {
  local best="" t
  for _ in 1 2 3; do
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
      read -r t peak_kb <"$work/time"
    else
      local start end
      start=$(date +%s.%N)
      "$@" >/dev/null 2>&1 || true
      end=$(date +%s.%N)
      t=$(echo "$end - $start" | bc)
      peak_kb=$(awk '/VmHWM/ { print $2 }' /proc/self/status) # best effort: this shell's
    fi
    if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then best=$t; fi
  done
  echo "$best"
}

printf '%-8s %-12s %-12s %-8s %-10s\n' files parse-only check ratio peak-MB
for n in "${sizes[@]}"; do
  dir="$work/corpus-$n"
  "$bin/examples/gen_corpus" "$dir" "$n" >/dev/null
  # Warm the page cache so both sides read from memory.
  "$bin/examples/parse_only" "$dir" >/dev/null
  floor=$(measure "$bin/examples/parse_only" "$dir")
  full=$(measure "$bin/runbook-lint" check "$dir" --color never)
  peak=$peak_kb
  ratio=$(awk "BEGIN { printf \"%.2f\", $full / ($floor > 0 ? $floor : 0.001) }")
  printf '%-8s %-12s %-12s %-8s %-10s\n' "$n" "${floor}s" "${full}s" "${ratio}x" "$((peak / 1024))"
done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2/1048576 }' /proc/meminfo), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
