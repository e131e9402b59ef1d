#!/usr/bin/env bash
# Renders a runbook-lint JSON report (`check --format json`) as the Markdown of a GitHub job
# summary, on stdout:
#
#   scripts/action-summary.sh REPORT.json [STDERR_FILE [EXIT_STATUS]]
#
# The totals per rule and the first RUNBOOK_LINT_SUMMARY_LIMIT findings (default 50) as
# tables: GitHub shows only 10 error and 10 warning annotations per step, the summary shows
# the rest. An empty or missing report gives a short failure note quoting STDERR_FILE
# instead; a report of a run that exited 2 (a file or a project's config could not be read:
# the other projects were still linted) gets the note above its tables. Needs jq (on every
# GitHub-hosted runner).
#
# Locations link to the file at GITHUB_SHA when the check ran at the root of the checkout
# (PWD is GITHUB_WORKSPACE, so report paths are repository paths); rule ids link to their
# page under docs/rules/ at the action's own ref.
set -euo pipefail

report=${1:?usage: action-summary.sh REPORT.json [STDERR_FILE]}
stderr_file=${2:-}
status=${3:-0}
limit=${RUNBOOK_LINT_SUMMARY_LIMIT:-50}
if ! [[ $limit =~ ^[0-9]+$ ]]; then
  echo "action-summary: RUNBOOK_LINT_SUMMARY_LIMIT must be a number, not \`$limit\`" >&2
  exit 2
fi

echo "### runbook-lint"
echo
quote_stderr() {
  if [ -n "$stderr_file" ] && [ -s "$stderr_file" ]; then
    echo
    echo '```text'
    # A fence inside the quoted text would end the block early.
    # shellcheck disable=SC2016 # backticks, not an expansion
    grep -v '^warning: ' "$stderr_file" | head -n 20 | sed 's/```/` ` `/g'
    echo '```'
  fi
}
if [ ! -s "$report" ] || ! jq -e '(.diagnostics | type) == "array"' "$report" >/dev/null 2>&1; then
  echo "The check did not complete: no report was written. The step log has the details."
  quote_stderr
  exit 0
fi
if [ "$status" -ge 2 ] 2>/dev/null; then
  echo "The check did not complete: some files or configs could not be read (exit $status); what could be read is below. The step log has the details."
  quote_stderr
  echo
fi

server=${GITHUB_SERVER_URL:-https://github.com}
file_url=""
if [ -n "${GITHUB_REPOSITORY:-}" ] && [ -n "${GITHUB_SHA:-}" ] &&
  [ -n "${GITHUB_WORKSPACE:-}" ] && [ "$PWD" -ef "$GITHUB_WORKSPACE" ]; then
  file_url="$server/$GITHUB_REPOSITORY/blob/$GITHUB_SHA"
fi
# Rules documented in this checkout (user pack rules have no page).
docs_dir="$(cd "$(dirname "$0")/.." && pwd)/docs/rules"
documented=$(find "$docs_dir" -maxdepth 1 -name '*.md' ! -name README.md -exec basename {} .md \; 2>/dev/null | sort)
docs_ref=${RUNBOOK_LINT_ACTION_REF:-main}
docs_url="$server/${RUNBOOK_LINT_ACTION_REPOSITORY:-runbook-lint/runbook-lint}/blob/$docs_ref/docs/rules"

jq -r \
  --argjson limit "$limit" \
  --arg file_url "$file_url" \
  --arg docs_url "$docs_url" \
  --arg documented "$documented" \
  -f /dev/stdin "$report" <<'JQ'
# Markdown-safe text for a table cell: backslash-escape what Markdown or a table would read
# (a `|` ends a cell even inside code), keep `code spans` as written when the backticks pair up.
def text: gsub("(?<c>[\\\\`*_\\[\\]<>|~&#])"; "\\\(.c)");
def cell:
  tostring | gsub("[\r\n]+"; " ")
  | (split("`")) as $parts
  | if ($parts | length) % 2 == 1 then
      [$parts | to_entries[] | if .key % 2 == 0 then (.value | text) else (.value | gsub("\\|"; "\\|")) end]
      | join("`")
    else text end;
def plural($n; $word): "\($n) \($word)\(if $n == 1 then "" else "s" end)";
def segments: split("/") | map(@uri) | join("/");
($documented | split("\n") | map(select(. != ""))) as $docs
| def rule_link($id):
    if ($docs | index($id)) != null then "[`\($id)`](\($docs_url)/\($id).md)" else "`\($id | cell)`" end;
.diagnostics as $all
| .summary as $s
| (
    if ($all | length) == 0 then
      "No findings in \(plural(.files_checked; "file")) checked."
    else
      "**\([plural($s.errors; "error"), plural($s.warnings; "warning")] + (if $s.infos > 0 then [plural($s.infos; "info")] else [] end) | join(", "))** in \(plural(.files_checked; "file")) checked."
    end
  ),
  (
    if ($all | length) == 0 then empty else
      "",
      "| Rule | Errors | Warnings | Infos |",
      "| --- | ---: | ---: | ---: |",
      ($all | group_by(.rule)
        | map({
            rule: .[0].rule,
            errors: map(select(.severity == "error")) | length,
            warnings: map(select(.severity == "warning")) | length,
            infos: map(select(.severity == "info")) | length
          })
        | sort_by(-.errors, -.warnings, -.infos, .rule)[]
        | "| \(rule_link(.rule)) | \(.errors) | \(.warnings) | \(.infos) |"),
      "",
      (if $limit == 0 then empty
       else
         (if ($all | length) > $limit then "The first \($limit) of \($all | length) findings; the step log has every one."
          else plural($all | length; "finding") + ":" end),
         "",
         "| Severity | Location | Rule | Message |",
         "| --- | --- | --- | --- |",
         ($all[:$limit][]
           | "\(.path | cell):\(.line):\(.column)" as $where
           | (if $file_url == "" then $where
              else "[\($where)](\($file_url)/\(.path | segments)#L\(.line))" end) as $location
           | "| \(.severity) | \($location) | \(rule_link(.rule)) | \(.message | cell) |")
       end)
    end
  ),
  (
    if ($all | map(select(.severity == "error")) | length) > 10
      or ($all | map(select(.severity == "warning")) | length) > 10
    then "", "GitHub annotates a step with at most 10 errors and 10 warnings: the others are in this summary and the step log."
    else empty end
  )
JQ
