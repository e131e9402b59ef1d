#!/usr/bin/env bash
# The GitHub Action's lint step (action.yml). Inputs come through the environment, never
# spliced into a script:
#   RUNBOOK_LINT_PATHS  paths to lint, space-separated     RUNBOOK_LINT_FORMAT  log format
#   RUNBOOK_LINT_ARGS   extra `check` arguments             RUNBOOK_LINT_SARIF   SARIF file or ""
#   RUNBOOK_LINT_JOB_SUMMARY  true/false                    RUNBOOK_LINT_SUMMARY_LIMIT  rows
#
# One check per report: a JSON run for the job summary (when GITHUB_STEP_SUMMARY is set), a
# SARIF run when asked for, then the run in the log format, whose exit status is the step's.
# Each report comes from the binary's own renderer (annotations are not re-implemented here);
# a check costs milliseconds to a second, next to the job's checkout and install.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# Word splitting of paths and args is intended: they are lists. `${args[@]+...}`: an empty
# array is "unbound" to macOS's bash 3.2 under set -u.
# shellcheck disable=SC2206
paths=(${RUNBOOK_LINT_PATHS:-.})
# shellcheck disable=SC2206
args=(${RUNBOOK_LINT_ARGS:-})

if [ "${RUNBOOK_LINT_JOB_SUMMARY:-true}" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  if command -v jq >/dev/null 2>&1; then
    work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/runbook-lint-summary.XXXXXX")
    # Its stderr (warnings, the totals line) repeats what the logged run prints.
    status=0
    runbook-lint check "${paths[@]}" ${args[@]+"${args[@]}"} --format json --output "$work/report.json" \
      2>"$work/stderr" || status=$?
    # A summary that cannot be written is worth a warning, not a failed lint step.
    if ! bash "$here/action-summary.sh" "$work/report.json" "$work/stderr" "$status" >"$work/summary.md"; then
      echo "::warning title=runbook-lint::the job summary could not be written"
    else
      cat "$work/summary.md" >>"$GITHUB_STEP_SUMMARY"
    fi
    rm -rf "$work"
  else
    echo "::warning title=runbook-lint::jq is not installed: no job summary"
  fi
fi

if [ -n "${RUNBOOK_LINT_SARIF:-}" ]; then
  status=0
  runbook-lint check "${paths[@]}" ${args[@]+"${args[@]}"} --format sarif --output "$RUNBOOK_LINT_SARIF" || status=$?
  # Findings (1) still make a SARIF log; a failed check (2) is reported by the run below.
  if [ "$status" -gt 1 ]; then
    echo "::warning title=runbook-lint::the SARIF run exited with $status"
  fi
fi

exec runbook-lint check "${paths[@]}" ${args[@]+"${args[@]}"} --format "${RUNBOOK_LINT_FORMAT:-github}"
