#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): puts the runbook-lint binary of the action's
# own release on PATH, or builds it when there is none.
#
# 1. The release tag: RUNBOOK_LINT_VERSION (the `version` input) if set, else the ref the
#    workflow wrote in `uses: OWNER/runbook-lint@REF` (RUNBOOK_LINT_ACTION_REF, from
#    `github.action_ref`; empty in some composite-action contexts, so the folder name of
#    GITHUB_ACTION_PATH, which the runner names after the ref, stands in). Only a version tag
#    (v1.2.3) names a release; a branch or commit ref is built from source.
# 2. The runner's platform (RUNNER_OS, RUNNER_ARCH) picks the archive that
#    .github/workflows/release.yml publishes (names from scripts/release-archive.sh).
# 3. The archive and its .sha256 are downloaded from RUNBOOK_LINT_RELEASE_URL/TAG/ (default:
#    the action repository's GitHub releases; tests point it at a file:// directory). A sum
#    that does not match stops the step: a damaged or altered download is never run.
# 4. No release for this ref or platform, or the download fails: `cargo install --locked` of
#    the action's own checkout (GITHUB_ACTION_PATH), the same source the ref names.
#
# The binary's folder is appended to GITHUB_PATH; `source=release|cargo` and `version=` go to
# GITHUB_OUTPUT when set.
set -euo pipefail

notice() { echo "::notice title=runbook-lint::$*"; }
fail() {
  echo "::error title=runbook-lint::$*"
  exit 1
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{print $1}'
  else
    shasum -a 256 "$1" | awk '{print $1}'
  fi
}

# The Rust target of the release archive for this runner, or nothing.
release_target() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
  esac
}

# The release tag this run should use, or nothing when the ref is not a version tag.
release_tag() {
  local ref=${RUNBOOK_LINT_VERSION:-${RUNBOOK_LINT_ACTION_REF:-}}
  if [ -z "$ref" ] && [[ ${GITHUB_ACTION_PATH:-} == */_actions/* ]]; then
    ref=${GITHUB_ACTION_PATH%/}
    ref=${ref##*/}
  fi
  case $ref in
    [0-9]*) ref="v$ref" ;;
  esac
  if [[ $ref =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
    echo "$ref"
  fi
}

# A Windows path for GITHUB_PATH when running under Git Bash.
native_path() {
  if command -v cygpath >/dev/null 2>&1; then cygpath -w "$1"; else echo "$1"; fi
}

# Downloads and checks the release archive; on success the binary is in $install_dir/bin.
# Returns 1 (with a notice) when there is nothing to download; exits on a checksum mismatch.
install_release() {
  local tag=$1 target=$2 base url archive expected actual work
  base=${RUNBOOK_LINT_RELEASE_URL:-${GITHUB_SERVER_URL:-https://github.com}/${RUNBOOK_LINT_ACTION_REPOSITORY:-runbook-lint/runbook-lint}/releases/download}
  case $target in
    *windows*) archive="runbook-lint-$tag-$target.zip" ;;
    *) archive="runbook-lint-$tag-$target.tar.gz" ;;
  esac
  url="${base%/}/$tag/$archive"
  work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/runbook-lint-download.XXXXXX")
  local error
  for file in "$archive" "$archive.sha256"; do
    if ! error=$(curl --fail --silent --show-error --location --retry 3 \
      --output "$work/$file" "${base%/}/$tag/$file" 2>&1); then
      notice "no release binary at $url ($error); building from source"
      rm -rf "$work"
      return 1
    fi
  done
  expected=$(awk 'NR == 1 {print $1}' "$work/$archive.sha256")
  if ! [[ $expected =~ ^[0-9a-fA-F]{64}$ ]]; then
    rm -rf "$work"
    fail "$archive.sha256 holds no sha256 sum; refusing to install $url"
  fi
  actual=$(sha256_of "$work/$archive")
  if [ "$(echo "$expected" | tr 'A-F' 'a-f')" != "$actual" ]; then
    rm -rf "$work"
    fail "sha256 of $archive is $actual, the release says $expected; refusing to install $url"
  fi
  case $archive in
    *.zip)
      if command -v unzip >/dev/null 2>&1; then
        unzip -q "$work/$archive" -d "$work"
      else
        7z x -bd -bso0 "-o$work" "$work/$archive"
      fi
      ;;
    *) tar -xzf "$work/$archive" -C "$work" ;;
  esac
  local folder="$work/runbook-lint-$tag-$target" exe=runbook-lint
  case $target in *windows*) exe=runbook-lint.exe ;; esac
  if [ ! -f "$folder/$exe" ]; then
    rm -rf "$work"
    fail "$archive has no $exe in runbook-lint-$tag-$target/"
  fi
  mkdir -p "$install_dir/bin"
  mv -f "$folder/$exe" "$install_dir/bin/$exe"
  chmod 755 "$install_dir/bin/$exe"
  rm -rf "$work"
  echo "runbook-lint $tag ($target): release archive downloaded, sha256 $actual verified"
}

install_from_source() {
  local tag=$1 source_dir=${GITHUB_ACTION_PATH:-}
  if ! command -v cargo >/dev/null 2>&1; then
    fail "no release binary for this ref and platform, and cargo is not installed: use a release tag (uses: ...@v0.1.0) or install Rust before this step (dtolnay/rust-toolchain@stable)"
  fi
  if [ -n "$source_dir" ] && [ -f "$source_dir/Cargo.toml" ]; then
    echo "runbook-lint: building the action's checkout with cargo install --locked (a few minutes)"
    cargo install --locked --quiet --root "$install_dir" --path "$source_dir"
  elif [ -n "$tag" ]; then
    local repository="${GITHUB_SERVER_URL:-https://github.com}/${RUNBOOK_LINT_ACTION_REPOSITORY:-runbook-lint/runbook-lint}"
    echo "runbook-lint: building $tag from $repository with cargo install --locked (a few minutes)"
    cargo install --locked --quiet --root "$install_dir" --git "$repository" --tag "$tag" runbook-lint
  else
    fail "no release tag and no action checkout (GITHUB_ACTION_PATH) to build from"
  fi
}

install_dir=${RUNBOOK_LINT_INSTALL_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/runbook-lint}
tag=$(release_tag)
if [ -z "$tag" ] && [ -n "${RUNBOOK_LINT_VERSION:-}" ]; then
  fail "version \`$RUNBOOK_LINT_VERSION\` is not a release tag such as v0.1.0"
fi
target=$(release_target)
source=cargo
if [ -n "$tag" ] && [ -n "$target" ]; then
  if install_release "$tag" "$target"; then
    source=release
  fi
elif [ -z "$tag" ]; then
  notice "ref \`${RUNBOOK_LINT_ACTION_REF:-}\` is not a release tag; building from source (pin a tag such as v0.1.0 for a prebuilt binary)"
else
  notice "no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}; building from source"
fi
if [ "$source" = cargo ]; then
  install_from_source "$tag"
fi

exe="$install_dir/bin/runbook-lint"
[ -f "$exe.exe" ] && exe="$exe.exe"
version=$("$exe" --version) || fail "the installed $exe does not run"
echo "$version ($source) in $install_dir/bin"
if [ "$source" = release ] && [ "v${version##* }" != "$tag" ]; then
  notice "the $tag release binary says \`$version\`"
fi
if [ -n "${GITHUB_PATH:-}" ]; then
  native_path "$install_dir/bin" >>"$GITHUB_PATH"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "source=$source"
    echo "version=${version##* }"
  } >>"$GITHUB_OUTPUT"
fi
