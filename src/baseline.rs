//! `--baseline` / `--write-baseline`: adopt the linter on an old doc set by recording today's
//! findings and reporting only new ones. Findings are matched by path, rule and fingerprint
//! ([`crate::report::fingerprint`]), which ignores line numbers, so editing a runbook around
//! an old finding does not resurface it.
//!
//! Paths are relative to the baseline file's directory (version 2), so a committed baseline
//! matches from any working directory. Version-1 baselines (paths as shown, relative to the
//! directory they were written in, and the `v1` fingerprint recipe) are still read, and match
//! when run from that directory, as before; writing one again turns it into version 2.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::findings::CheckResult;
use crate::report::fingerprint;

/// The current file format.
pub const VERSION: u32 = 2;

/// The baseline file.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Baseline {
    /// File format version.
    pub version: u32,
    /// Fingerprint recipe; a different one matches nothing.
    pub fingerprint: String,
    /// Recorded findings, sorted by path, rule, fingerprint.
    pub findings: Vec<Entry>,
    /// The directory entry paths are relative to (version 2), absolute.
    #[serde(skip)]
    dir: PathBuf,
}

/// One recorded finding. The message is for people reading the file; matching ignores it.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// The runbook, relative to the baseline file's directory, `/`-separated (version 1: as
    /// displayed, relative to the working directory).
    pub path: String,
    /// Rule id.
    pub rule: String,
    /// Fingerprint.
    pub fingerprint: String,
    /// Message when recorded.
    pub message: String,
}

/// The absolute directory of a baseline file named in the directory `base`.
fn directory_of(file: &Path, base: &Path) -> PathBuf {
    let absolute = crate::paths::normalize(&base.join(file));
    absolute.parent().map(Path::to_path_buf).unwrap_or(absolute)
}

/// A finding file's path (displayed relative to `base`, or absolute) relative to `dir`.
fn path_from(dir: &Path, base: &Path, shown: &str) -> String {
    crate::paths::relative_path(dir, &crate::paths::normalize(&base.join(shown)))
}

impl Baseline {
    /// Records every finding of `result` for a baseline file `file` named in the directory
    /// `base` (where the result's paths are shown from).
    pub fn from_result(result: &CheckResult, file: &Path, base: &Path) -> Baseline {
        let dir = directory_of(file, base);
        let mut findings = Vec::new();
        for found in &result.files {
            let path = path_from(&dir, base, &found.path);
            for (f, print) in found.findings.iter().zip(fingerprint::fingerprints(found)) {
                findings.push(Entry {
                    path: path.clone(),
                    rule: f.rule.clone(),
                    fingerprint: print,
                    message: f.message.clone(),
                });
            }
        }
        findings.sort();
        Baseline {
            version: VERSION,
            fingerprint: fingerprint::VERSION.to_string(),
            findings,
            dir,
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
        let mut baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
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
        let recipe = match baseline.version {
            1 => fingerprint::VERSION_1,
            VERSION => fingerprint::VERSION,
            other => {
                return Err(format!(
                    "{}: unsupported baseline version {other}",
                    path.display(),
                ))
            }
        };
        if baseline.fingerprint != recipe {
            return Err(format!(
                "{}: written with fingerprint recipe {}, this version uses {recipe}; re-run --write-baseline",
                path.display(),
                crate::redact::shown(&baseline.fingerprint),
            ));
        }
        baseline.dir = directory_of(path, base);
        Ok(baseline)
    }

    /// A note for a version-1 baseline: its paths only match from the directory it was
    /// written in.
    pub fn upgrade_note(&self, path: &Path) -> Option<String> {
        (self.version == 1).then(|| {
            format!(
                "note: {} is a version-1 baseline, whose paths only match from the directory it was written in; run `--write-baseline {}` once to record paths relative to the file",
                path.display(),
                path.display()
            )
        })
    }

    /// Writes the baseline as pretty JSON (one finding per few lines: reviewable diffs).
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self).expect("baseline serialises");
        text.push('\n');
        crate::fsio::write_atomic(path, text.as_bytes())
            .map_err(|e| format!("cannot write baseline {}: {e}", path.display()))
    }

    /// Removes the findings recorded here from `result`, whose paths are shown from `base`;
    /// returns how many were removed.
    pub fn filter(&self, result: &mut CheckResult, base: &Path) -> usize {
        let known: BTreeSet<(&str, &str, &str)> = self
            .findings
            .iter()
            .map(|e| (e.path.as_str(), e.rule.as_str(), e.fingerprint.as_str()))
            .collect();
        let mut removed = 0;
        for file in &mut result.files {
            let (path, prints) = if self.version == 1 {
                (file.path.clone(), fingerprint::fingerprints_v1(file))
            } else {
                (
                    path_from(&self.dir, base, &file.path),
                    fingerprint::fingerprints(file),
                )
            };
            let keep: Vec<bool> = prints
                .iter()
                .zip(&file.findings)
                .map(|(print, f)| {
                    !known.contains(&(path.as_str(), f.rule.as_str(), print.as_str()))
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
