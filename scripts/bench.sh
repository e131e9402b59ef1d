#!/usr/bin/env bash
# Benchmark: runbook-lint against the parse floor and against rumdl, on two corpora, in one
# interleaved run. Not a test: it prints numbers, asserts nothing.
#
#   scripts/bench.sh [--corpus DIR | --generator SCRIPT] [--n N] [--large N] [--runs R]
#   scripts/bench.sh --hostile
#
# Corpora:
#   realistic   `examples/gen_corpus` (correct runbooks, ~1 finding per 10 files), N files
#   external    a heavily cross-linked corpus made elsewhere: `--corpus DIR`, or generated
#               with `--generator SCRIPT` (or $BENCH_GENERATOR), run as
#               `python3 SCRIPT --n N --seed 1 --out DIR`. Any generator of runbook trees
#               will do; without either, only the realistic corpus is measured.
# Commands, each on every corpus, taken in turn R times (default 5) so load from elsewhere
# spreads over all of them alike; the table shows medians:
#   floor         `examples/parse_only`: walk, read and pulldown-cmark every file (the floor)
#   runbook-lint  `check` in every output format (JSON is the headline)
#   rumdl         `rumdl check --no-cache` (a Markdown linter), from PATH, else installed from
#                 PyPI into a temporary venv; skipped when neither works (offline)
# Columns: CPU seconds (user + sys), wall seconds, peak RSS (MB), CPU over the floor's, CPU
# over rumdl's.
# `--large N`: the external generator again at N files (e.g. 100000), runbook-lint JSON and
# the floor only: CPU per file against the N-file corpus (linear: ratio near 1.0) and RSS.
# `--hostile`: hostile inputs at two sizes each (a single-line runbook of 512 KB and 1 MB,
# 50 000 and 100 000 findings in SARIF): time and memory must grow linearly.
# Needs GNU time (/usr/bin/time) for CPU and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus="" generator="${BENCH_GENERATOR:-}" n=10000 large="" runs=5 hostile=0
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus=$(cd "$2" && pwd); shift 2 ;;
    --generator) generator=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --large) large=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --hostile) hostile=1; shift ;;
    *) echo "unknown option: $1 (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
done
if [ ! -x /usr/bin/time ]; then
  echo "bench.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2
  exit 2
fi

cargo build --release --quiet --bin runbook-lint --example gen_corpus --example parse_only \
  --example gen_hostile
bin=$PWD/target/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2/1048576 }' /proc/meminfo)," \
    "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Runs a command once; appends "cpu wall rss_kb" to the file $1.
sample() {
  local into=$1
  shift
  /usr/bin/time -f "%U %S %e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
  awk '{ printf "%.3f %.3f %d\n", $1 + $2, $3, $4 }' "$work/time" | tail -n 1 >>"$into"
}

# Median of column $2 of file $1.
median() {
  sort -n -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END {
    if (NR == 0) { print "-"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

if [ "$hostile" = 1 ]; then
  # Each input at two sizes: the second doubles the first, so linear costs double too (time
  # per unit and memory per unit stay flat; a quadratic cost would double them).
  printf '%-22s %-9s %-7s %-9s %-9s %-9s %-12s\n' input size format wall peak-MB us/unit KB/unit
  row() { # input size unit-count format
    local dir=$1 size=$2 units=$3 format=$4 f="$work/hostile.$RANDOM"
    for _ in 1 2 3; do
      sample "$f" "$bin/runbook-lint" check "$dir" --format "$format" --color never --today 2026-01-01
    done
    local cpu rss
    cpu=$(median "$f" 2) rss=$(awk '{ print $3 }' "$f" | sort -n | tail -n 1)
    printf '%-22s %-9s %-7s %-9s %-9s %-9s %-12s\n' "$(basename "$dir")" "$size" "$format" "${cpu}s" \
      "$((rss / 1024))" "$(awk "BEGIN { printf \"%.2f\", $cpu * 1e6 / $units }")" \
      "$(awk "BEGIN { printf \"%.2f\", $rss / $units }")"
  }
  for kb in 512 1024; do
    dir="$work/long-line-${kb}k"
    "$bin/examples/gen_hostile" "$dir" long-line $((kb * 1024))
    units=$((kb * 1024 / 13)) # one command and one finding per 13 bytes
    for format in json sarif human; do row "$dir" "${kb}KB" "$units" "$format"; done
    rm -rf "$dir"
  done
  for count in 50000 100000; do
    dir="$work/findings-$count"
    "$bin/examples/gen_hostile" "$dir" findings "$count"
    for format in sarif json; do row "$dir" "$count" "$count" "$format"; done
    rm -rf "$dir"
  done
  echo "units: commands (= findings) of the long line; findings of the SARIF runs"
  machine
  exit 0
fi

# rumdl: from PATH, else a temporary venv.
rumdl=$(command -v rumdl || true)
if [ -z "$rumdl" ] && python3 -m venv "$work/venv" >/dev/null 2>&1 &&
  "$work/venv/bin/pip" install --quiet rumdl >/dev/null 2>&1; then
  rumdl="$work/venv/bin/rumdl"
fi
[ -z "$rumdl" ] && echo "rumdl not found and could not be installed from PyPI: its rows are skipped" >&2

corpora=(realistic)
"$bin/examples/gen_corpus" "$work/realistic" "$n" >/dev/null
declare -A dirs=([realistic]="$work/realistic")
if [ -z "$corpus" ] && [ -n "$generator" ]; then
  corpus="$work/external"
  python3 "$generator" --n "$n" --seed 1 --out "$corpus" >/dev/null
fi
if [ -n "$corpus" ]; then
  corpora+=(external)
  dirs[external]=$corpus
fi

formats=(json human concise github sarif junit)
commands=(floor rumdl "${formats[@]/#/rl-}")
# Sets argv to the command line of command $1 on directory $2.
command_for() {
  case "$1" in
    floor) argv=("$bin/examples/parse_only" "$2") ;;
    rumdl) argv=("$rumdl" check --no-cache "$2") ;;
    rl-*) argv=("$bin/runbook-lint" check "$2" --format "${1#rl-}" --color never --today 2026-01-01) ;;
  esac
}
run() { # into command dir
  command_for "$2" "$3"
  sample "$1" "${argv[@]}"
}
for c in "${corpora[@]}"; do "$bin/examples/parse_only" "${dirs[$c]}" >/dev/null; done # warm the page cache
for ((round = 1; round <= runs; round++)); do
  for c in "${corpora[@]}"; do
    for cmd in "${commands[@]}"; do
      [ "$cmd" = rumdl ] && [ -z "$rumdl" ] && continue
      run "$work/$c.$cmd" "$cmd" "${dirs[$c]}"
    done
  done
done

printf '%-10s %-22s %8s %8s %8s %9s %9s\n' corpus command cpu-s wall-s rss-MB x-floor x-rumdl
for c in "${corpora[@]}"; do
  floor=$(median "$work/$c.floor" 1)
  rumdl_cpu=$([ -s "$work/$c.rumdl" ] && median "$work/$c.rumdl" 1 || echo "")
  for cmd in "${commands[@]}"; do
    f="$work/$c.$cmd"
    [ -s "$f" ] || continue
    cpu=$(median "$f" 1) wall=$(median "$f" 2) rss=$(median "$f" 3)
    name=$cmd
    [ "$cmd" = floor ] && name="floor (parse only)"
    [[ "$cmd" == rl-* ]] && name="runbook-lint ${cmd#rl-}"
    x_floor=$(awk "BEGIN { printf \"%.1fx\", $cpu / ($floor > 0 ? $floor : 0.001) }")
    x_rumdl=-
    if [ -n "$rumdl_cpu" ] && awk "BEGIN { exit !($rumdl_cpu > 0) }"; then
      x_rumdl=$(awk "BEGIN { printf \"%.2fx\", $cpu / $rumdl_cpu }")
    fi
    printf '%-10s %-22s %8s %8s %8s %9s %9s\n' "$c" "$name" "$cpu" "$wall" "$((rss / 1024))" \
      "$x_floor" "$x_rumdl"
  done
done
echo "files: $n per corpus; medians of $runs interleaved runs"

if [ -n "$large" ]; then
  if [ -z "$generator" ]; then
    echo "--large needs --generator (or BENCH_GENERATOR)" >&2
    exit 2
  fi
  python3 "$generator" --n "$large" --seed 1 --out "$work/large" >/dev/null
  [ -n "${dirs[external]:-}" ] || { echo "--large compares with the external corpus" >&2; exit 2; }
  "$bin/examples/parse_only" "$work/large" >/dev/null
  for ((round = 1; round <= 3; round++)); do
    run "$work/large.floor" floor "$work/large"
    run "$work/large.rl-json" rl-json "$work/large"
  done
  printf '\n%-10s %-22s %8s %8s %8s %12s\n' files command cpu-s wall-s rss-MB cpu-per-file
  for size in "$n" "$large"; do
    key=$([ "$size" = "$large" ] && echo large || echo external)
    for cmd in floor rl-json; do
      f="$work/$key.$cmd"
      cpu=$(median "$f" 1) wall=$(median "$f" 2) rss=$(median "$f" 3)
      printf '%-10s %-22s %8s %8s %8s %12s\n' "$size" "$cmd" "$cpu" "$wall" "$((rss / 1024))" \
        "$(awk "BEGIN { printf \"%.1f us\", $cpu * 1e6 / $size }")"
    done
  done
  small=$(median "$work/external.rl-json" 1) big=$(median "$work/large.rl-json" 1)
  echo "runbook-lint JSON: CPU per file at $large files / at $n files =" \
    "$(awk "BEGIN { printf \"%.2f\", ($big / $large) / ($small / $n) }") (1.00 is linear)"
fi
machine
