//! Fingerprints that survive lines moving: shared by `--baseline` and SARIF
//! `partialFingerprints`.
//!
//! A fingerprint hashes the rule, the path, the whitespace-normalised text of the flagged lines
//! and the occurrence index among findings with the same rule and text in that file. Line
//! numbers are left out on purpose: inserting a paragraph above a finding must not make it new.

use crate::findings::FileFindings;

/// Version tag, bumped if the recipe changes (old baselines then stop matching, loudly).
pub const VERSION: &str = "v1";

/// One fingerprint per finding of `file`, in the same order, 16 hex digits each.
pub fn fingerprints(file: &FileFindings) -> Vec<String> {
    let mut seen: Vec<(String, String)> = Vec::new();
    file.findings
        .iter()
        .map(|finding| {
            let text = normalized_lines(&file.source, finding.span.start, finding.span.end);
            let key = (finding.rule.clone(), text);
            let occurrence = seen.iter().filter(|k| **k == key).count();
            let mut hasher = Fnv64::default();
            for part in [
                VERSION,
                &finding.rule,
                &file.path,
                &key.1,
                &occurrence.to_string(),
            ] {
                hasher.write(part.as_bytes());
                // A separator byte so ("ab","c") and ("a","bc") differ.
                hasher.write(&[0]);
            }
            seen.push(key);
            format!("{:016x}", hasher.0)
        })
        .collect()
}

/// The full lines a byte range touches, trimmed, with whitespace runs collapsed to one space.
fn normalized_lines(source: &str, start: usize, end: usize) -> String {
    let start = start.min(source.len());
    let end = end.clamp(start, source.len());
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
    source
        .get(line_start..line_end)
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// FNV-1a, 64 bit: tiny, and unlike `DefaultHasher` stable across Rust releases, which a
/// fingerprint written into a committed baseline file needs.
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::findings::Finding;
    use crate::span::{LineIndex, Span};

    fn file(source: &str, needles: &[&str]) -> FileFindings {
        let index = LineIndex::new(source);
        let mut from = 0;
        let findings = needles
            .iter()
            .map(|needle| {
                let start = from + source[from..].find(needle).expect("needle in source");
                from = start + needle.len();
                let span = Span::new(start, start + needle.len());
                Finding {
                    rule: "unresolved-placeholder".into(),
                    severity: Severity::Warning,
                    span,
                    location: index.locate(source, span),
                    message: "placeholder".into(),
                    label: None,
                    help: None,
                    fix: None,
                    fix_locations: Vec::new(),
                    checked: None,
                }
            })
            .collect();
        FileFindings {
            path: "docs/run.md".into(),
            source: source.into(),
            findings,
            fixed: None,
        }
    }

    #[test]
    fn survives_lines_moving_and_reindenting() {
        let before = fingerprints(&file("# Run\n\nOwner: TBD\n", &["TBD"]));
        let after = fingerprints(&file(
            "# Run\n\nA new paragraph.\n\nAnother.\n\n  Owner:   TBD\n",
            &["TBD"],
        ));
        assert_eq!(before, after);
        assert_eq!(before[0].len(), 16);
    }

    #[test]
    fn equal_lines_get_distinct_fingerprints_by_occurrence() {
        let prints = fingerprints(&file("Owner: TBD\nOwner: TBD\n", &["TBD", "TBD"]));
        assert_ne!(prints[0], prints[1]);
    }

    #[test]
    fn text_path_and_rule_change_the_fingerprint() {
        let a = fingerprints(&file("Owner: TBD\n", &["TBD"]));
        let b = fingerprints(&file("Pager: TBD\n", &["TBD"]));
        assert_ne!(a, b);
        let mut moved = file("Owner: TBD\n", &["TBD"]);
        moved.path = "docs/other.md".into();
        assert_ne!(a, fingerprints(&moved));
        let mut other_rule = file("Owner: TBD\n", &["TBD"]);
        other_rule.findings[0].rule = "placeholder-contact".into();
        assert_ne!(a, fingerprints(&other_rule));
    }
}
