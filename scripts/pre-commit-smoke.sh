#!/usr/bin/env bash
# Runs the real pre-commit hook from this repository (`pre-commit try-repo`) on two fixture
# repositories: fixtures/pre-commit/pass must pass, fixtures/pre-commit/fail must fail with a
# missing-script finding, also when only its package.json is handed to the hook.
#
# pre-commit comes from PyPI into a cached venv; `language: rust` makes pre-commit run
# `cargo install --path` on this repository. CARGO_TARGET_DIR points that build at a cached
# directory, so only the first run pays for a release build.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${RUNBOOK_LINT_SMOKE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/runbook-lint-smoke}
mkdir -p "$cache"

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
# try-repo copies the repository; pre-commit's own git calls must not see a parent repo's env.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A fixture copied into a fresh git repository (pre-commit lints what git tracks).
make_repo() {
  local name=$1 dir="$work/$1"
  cp -R "$repo/fixtures/pre-commit/$name" "$dir"
  git -C "$dir" init -q
  git -C "$dir" add -A
  git -C "$dir" -c user.name=smoke -c user.email=smoke@example.invalid \
    -c commit.gpgsign=false commit -qm fixture
  echo "$dir"
}

try_repo() {
  local dir=$1
  shift
  (cd "$dir" && "$venv/bin/pre-commit" try-repo "$repo" runbook-lint --color never "$@")
}

start=$(date +%s)
pass=$(make_repo pass)
if ! out=$(try_repo "$pass" --all-files 2>&1); then
  echo "$out"
  echo "pre-commit smoke: FAIL: the passing fixture failed" >&2
  exit 1
fi
echo "pre-commit smoke: passing fixture passed ($(( $(date +%s) - start )) s incl. install)"

fail=$(make_repo fail)
for args in "--all-files" "--files package.json"; do
  # shellcheck disable=SC2086 # two words on purpose
  if out=$(try_repo "$fail" $args 2>&1); then
    echo "$out"
    echo "pre-commit smoke: FAIL: the failing fixture passed with $args" >&2
    exit 1
  fi
  if ! grep -q 'missing-script' <<<"$out" || ! grep -q 'test:integration' <<<"$out"; then
    echo "$out"
    echo "pre-commit smoke: FAIL: expected a missing-script finding with $args" >&2
    exit 1
  fi
  echo "pre-commit smoke: failing fixture failed as expected with $args"
done
echo "pre-commit smoke: all 3 hook runs behaved as expected ($(( $(date +%s) - start )) s)"
