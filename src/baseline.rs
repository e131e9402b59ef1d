//! `--baseline` / `--write-baseline`: adopt the linter on an old doc set by recording today's
//! findings and reporting only new ones. Findings are matched by fingerprint
//! ([`crate::report::fingerprint`]), which ignores line numbers, so editing a runbook around
//! an old finding does not resurface it.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::findings::CheckResult;
use crate::report::fingerprint;

/// The baseline file.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Baseline {
    /// File format version.
    pub version: u32,
    /// Fingerprint recipe; a different one matches nothing.
    pub fingerprint: String,
    /// Recorded findings, sorted by path, rule, fingerprint.
    pub findings: Vec<Entry>,
}

/// One recorded finding. The message is for people reading the file; matching ignores it.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// Display path.
    pub path: String,
    /// Rule id.
    pub rule: String,
    /// Fingerprint.
    pub fingerprint: String,
    /// Message when recorded.
    pub message: String,
}

impl Baseline {
    /// Records every finding of `result`.
    pub fn from_result(result: &CheckResult) -> Baseline {
        let mut findings = Vec::new();
        for file in &result.files {
            for (f, print) in file.findings.iter().zip(fingerprint::fingerprints(file)) {
                findings.push(Entry {
                    path: file.path.clone(),
                    rule: f.rule.clone(),
                    fingerprint: print,
                    message: f.message.clone(),
                });
            }
        }
        findings.sort();
        Baseline {
            version: 1,
            fingerprint: fingerprint::VERSION.to_string(),
            findings,
        }
    }

    /// Reads a baseline file named in the directory `base` (a regular file; inside `base`
    /// when named there, see [`crate::fsio::user_path_root`]).
    pub fn load(path: &Path, base: &Path) -> Result<Baseline, String> {
        let contained = crate::fsio::user_path_root(base, path);
        let text =
            crate::fsio::read_string(path, contained.as_ref(), crate::fsio::MAX_BASELINE_BYTES)
                .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        // serde's message quotes values from the file: only its kind and position are shown.
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
            let kind = match e.classify() {
                serde_json::error::Category::Data => "unexpected content",
                _ => "invalid JSON",
            };
            format!(
                "{}:{}:{}: not a runbook-lint baseline ({kind})",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if baseline.version != 1 {
            return Err(format!(
                "{}: unsupported baseline version {}",
                path.display(),
                baseline.version
            ));
        }
        if baseline.fingerprint != fingerprint::VERSION {
            return Err(format!(
                "{}: written with fingerprint recipe {}, this version uses {}; re-run --write-baseline",
                path.display(),
                baseline.fingerprint,
                fingerprint::VERSION
            ));
        }
        Ok(baseline)
    }

    /// Writes the baseline as pretty JSON (one finding per few lines: reviewable diffs).
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self).expect("baseline serialises");
        text.push('\n');
        crate::fsio::write_atomic(path, text.as_bytes())
            .map_err(|e| format!("cannot write baseline {}: {e}", path.display()))
    }

    /// Removes the findings recorded here from `result`; returns how many were removed.
    pub fn filter(&self, result: &mut CheckResult) -> usize {
        let known: BTreeSet<(&str, &str, &str)> = self
            .findings
            .iter()
            .map(|e| (e.path.as_str(), e.rule.as_str(), e.fingerprint.as_str()))
            .collect();
        let mut removed = 0;
        for file in &mut result.files {
            let prints = fingerprint::fingerprints(file);
            let keep: Vec<bool> = prints
                .iter()
                .zip(&file.findings)
                .map(|(print, f)| {
                    !known.contains(&(file.path.as_str(), f.rule.as_str(), print.as_str()))
                })
                .collect();
            let mut keep = keep.into_iter();
            let before = file.findings.len();
            file.findings.retain(|_| keep.next().unwrap_or(true));
            removed += before - file.findings.len();
        }
        result.files.retain(|f| !f.findings.is_empty());
        removed
    }
}
