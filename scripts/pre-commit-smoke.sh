#!/usr/bin/env bash
# Runs the README's pre-commit snippets as written (the ```yaml blocks that start with
# `# .pre-commit-config.yaml`), with one change: `repo:` points at a snapshot of this checkout,
# tagged with the snippet's `rev:`. On two fixture repositories: fixtures/pre-commit/pass must
# pass; fixtures/pre-commit/fail must fail with one missing-script finding, reported once
# (require_serial), also when only its package.json is handed to the hook.
#
# pre-commit comes from PyPI into a cached venv. The `runbook-lint` hook (`language: rust`)
# makes pre-commit run `cargo install --path` on the snapshot; CARGO_TARGET_DIR points that
# build at a cached directory, so only the first run builds the dependencies. The snapshot is
# named after its git tree: an unchanged checkout reuses pre-commit's installed hook, a changed
# one rebuilds the crate. The `runbook-lint-system` hook runs that build from PATH.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${RUNBOOK_LINT_SMOKE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/runbook-lint-smoke}
canonical=https://github.com/runbook-lint/runbook-lint
mkdir -p "$cache"
# One smoke test at a time per cache: a run replaces the previous run's snapshot.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/lock"
  flock 9
fi

venv="$cache/venv"
if [ ! -x "$venv/bin/pre-commit" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'pre-commit>=3.7,<5'
fi
export PRE_COMMIT_HOME="$cache/pre-commit"
export CARGO_TARGET_DIR="$cache/target"
# The smoke test checks the hook's wiring, not its speed: an unoptimised build of the same
# code keeps a fresh CI machine's first `cargo install` to about a debug build's time.
export CARGO_PROFILE_RELEASE_DEBUG=0
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
# pre-commit's own git calls must not see a parent repository's environment.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
git_quiet() {
  git -c user.name=smoke -c user.email=smoke@example.invalid -c commit.gpgsign=false \
    -c tag.gpgsign=false -c init.defaultBranch=main "$@"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
fail() {
  echo "pre-commit smoke: FAIL: $*" >&2
  exit 1
}

# The README's snippets, in order: the runbook-lint hook, then runbook-lint-system.
awk -v dir="$work" '
  /^```yaml$/ { getline first; if (first == "# .pre-commit-config.yaml") { n++; out = dir "/snippet-" n ".yaml"; print first > out; inside = 1 }; next }
  inside && /^```$/ { inside = 0; close(out); next }
  inside { print > out }
' "$repo/README.md"
[ -f "$work/snippet-2.yaml" ] && [ ! -f "$work/snippet-3.yaml" ] ||
  fail "README.md should hold two \`# .pre-commit-config.yaml\` snippets"
grep -q -- '- id: runbook-lint$' "$work/snippet-1.yaml" || fail "the first snippet should use the runbook-lint hook"
grep -q -- '- id: runbook-lint-system$' "$work/snippet-2.yaml" || fail "the second snippet should use runbook-lint-system"
rev=$(sed -n 's/^ *rev: *//p' "$work/snippet-1.yaml")
[[ $rev =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "snippet rev \`$rev\` is not a release tag"
for snippet in "$work"/snippet-*.yaml; do
  grep -q "^ *- repo: $canonical\$" "$snippet" || fail "$(basename "$snippet") does not name $canonical"
  grep -q "^ *rev: $rev\$" "$snippet" || fail "the snippets name different revs"
done

# A snapshot of the checkout as it is now (tracked and new files, edits included), committed
# with a fixed date so the same files give the same tree, and tagged like a release.
snapshot="$work/snapshot"
mkdir "$snapshot"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard) |
  while IFS= read -r -d '' file; do
    if [ -e "$repo/$file" ] || [ -L "$repo/$file" ]; then
      mkdir -p "$snapshot/$(dirname "$file")"
      cp -P "$repo/$file" "$snapshot/$file"
    fi
  done
git_quiet -C "$snapshot" init -q
git_quiet -C "$snapshot" add -A
GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z \
  git_quiet -C "$snapshot" commit -qm snapshot
tree=$(git -C "$snapshot" rev-parse 'HEAD^{tree}')
hook_repo="$cache/hook-repo-$tree"
if [ ! -d "$hook_repo" ]; then
  rm -rf "$cache"/hook-repo-*
  # The previous snapshot's crate artifacts; its dependencies stay cached.
  rm -rf "$CARGO_TARGET_DIR"/release/deps/*runbook_lint* "$CARGO_TARGET_DIR"/release/.fingerprint/runbook-lint-*
  mv "$snapshot" "$hook_repo"
  git_quiet -C "$hook_repo" tag "$rev"
fi

# The configs live in the cache, so `pre-commit gc` keeps the hook they name and drops others.
mkdir -p "$cache/configs"
for snippet in "$work"/snippet-*.yaml; do
  sed "s|$canonical\$|$hook_repo|" "$snippet" >"$cache/configs/$(basename "$snippet")"
done

# A fixture copied into a fresh git repository (pre-commit lints what git tracks).
make_repo() {
  local dir="$work/$1"
  cp -R "$repo/fixtures/pre-commit/$1" "$dir"
  git_quiet -C "$dir" init -q
  git_quiet -C "$dir" add -A
  git_quiet -C "$dir" commit -qm fixture
  echo "$dir"
}

# run_hook SNIPPET FIXTURE ARGS...: pre-commit's output; its status is the hook's.
run_hook() {
  local config="$cache/configs/snippet-$1.yaml" dir=$2
  shift 2
  (cd "$dir" && "$venv/bin/pre-commit" run --config "$config" --color never "$@")
}

expect_pass() {
  local out
  if ! out=$(run_hook "$@" 2>&1); then
    echo "$out"
    fail "snippet $1 failed on the passing fixture"
  fi
}

# The failing fixture reports `test:integration` exactly once.
expect_finding() {
  local out count
  if out=$(run_hook "$@" 2>&1); then
    echo "$out"
    fail "snippet $1 passed on the failing fixture (${*:3})"
  fi
  # shellcheck disable=SC2016 # backticks of the message, not an expansion
  count=$(grep -c 'script `test:integration` not found' <<<"$out" || true)
  if [ "$count" -ne 1 ]; then
    echo "$out"
    fail "snippet $1 (${*:3}): expected one missing-script finding, got $count"
  fi
}

pass=$(make_repo pass)
failing=$(make_repo fail)
expect_pass 1 "$pass" --all-files
echo "pre-commit smoke: runbook-lint hook passed the passing fixture ($(($(date +%s) - start)) s incl. install)"
expect_finding 1 "$failing" --all-files
expect_finding 1 "$failing" --files package.json
echo "pre-commit smoke: runbook-lint hook failed the failing fixture once, with --all-files and --files package.json"

# runbook-lint-system: the binary the rust hook built, on PATH.
bin_dir="$CARGO_TARGET_DIR/release"
[ -x "$bin_dir/runbook-lint" ] || fail "no runbook-lint in $bin_dir after the hook's install"
PATH="$bin_dir:$PATH" expect_pass 2 "$pass" --all-files
PATH="$bin_dir:$PATH" expect_finding 2 "$failing" --all-files
echo "pre-commit smoke: runbook-lint-system hook behaved the same with runbook-lint on PATH"

"$venv/bin/pre-commit" gc >/dev/null
echo "pre-commit smoke: 5 hook runs behaved as expected ($(($(date +%s) - start)) s)"
