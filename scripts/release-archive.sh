#!/usr/bin/env bash
# Packs one release binary the way the release workflow publishes it and the Action downloads it:
#
#   scripts/release-archive.sh TAG TARGET BINARY OUTDIR
#
# writes OUTDIR/runbook-lint-TAG-TARGET.tar.gz (.zip for Windows targets), holding the folder
# runbook-lint-TAG-TARGET/ with the binary, LICENSE, README.md and CHANGELOG.md, and beside it
# the archive's sha256 sum in `sha256sum` format (ARCHIVE.sha256). Prints the archive's path.
# scripts/action-install.sh reads the same names; tests/it/action.rs runs both against each other.
set -euo pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 TAG TARGET BINARY OUTDIR" >&2
  exit 2
fi
tag=$1 target=$2 binary=$3 outdir=$4
repo=$(cd "$(dirname "$0")/.." && pwd)

case $tag in
  v[0-9]*) ;;
  *) echo "release-archive: tag \`$tag\` is not a version tag (v1.2.3)" >&2; exit 2 ;;
esac
if [ ! -f "$binary" ]; then
  echo "release-archive: binary \`$binary\` not found" >&2
  exit 2
fi

name="runbook-lint-$tag-$target"
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
case $target in
  *windows*) exe=runbook-lint.exe ;;
  *) exe=runbook-lint ;;
esac
cp "$binary" "$stage/$name/$exe"
chmod 755 "$stage/$name/$exe"
cp "$repo/LICENSE" "$repo/README.md" "$repo/CHANGELOG.md" "$stage/$name/"

case $target in
  *windows*)
    archive="$name.zip"
    rm -f "$outdir/$archive"
    if command -v 7z >/dev/null 2>&1; then
      (cd "$stage" && 7z a -tzip -bd -bso0 "$outdir/$archive" "$name")
    else
      (cd "$stage" && zip -qr "$outdir/$archive" "$name")
    fi
    ;;
  *)
    archive="$name.tar.gz"
    tar -C "$stage" -czf "$outdir/$archive" "$name"
    ;;
esac

# `sha256sum -c` and `shasum -a 256 -c` both read this "HASH  NAME" line.
if command -v sha256sum >/dev/null 2>&1; then
  (cd "$outdir" && sha256sum "$archive" >"$archive.sha256")
else
  (cd "$outdir" && shasum -a 256 "$archive" >"$archive.sha256")
fi
echo "$outdir/$archive"
