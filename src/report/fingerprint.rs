//! Fingerprints that survive lines moving: shared by `--baseline` and SARIF
//! `partialFingerprints`.
//!
//! A fingerprint hashes the rule, the whitespace-normalised text of the flagged lines and the
//! occurrence index among findings with the same rule and text in that file. Line numbers are
//! left out on purpose: inserting a paragraph above a finding must not make it new. The path
//! is left out too (recipe `v2`): it is keyed beside the fingerprint (a baseline entry's path,
//! a SARIF result's artifact), so the same finding gets the same fingerprint whichever
//! directory the run started in. Recipe `v1` hashed the path as shown (relative to the
//! working directory); it is kept to read version-1 baselines.

use std::collections::HashMap;

use crate::findings::FileFindings;
use crate::span::LineIndex;

/// The current recipe's tag, bumped if the recipe changes.
pub const VERSION: &str = "v2";

/// The recipe of version-1 baselines: the displayed path hashed in.
pub const VERSION_1: &str = "v1";

/// One fingerprint per finding of `file`, in the same order, 16 hex digits each.
///
/// Linear in the findings and the text: each distinct line range is normalised and hashed
/// once, and the occurrence index comes from a count per (rule, text), not a rescan of the
/// findings before it (128 000 findings once took 185 s and 1.6 GB).
pub fn fingerprints(file: &FileFindings) -> Vec<String> {
    compute(file, None)
}

/// The fingerprints of recipe [`VERSION_1`], which hashed `file.path` in.
pub fn fingerprints_v1(file: &FileFindings) -> Vec<String> {
    compute(file, Some(&file.path))
}

fn compute(file: &FileFindings, path: Option<&str>) -> Vec<String> {
    let source: &str = &file.source;
    let index = LineIndex::new(source);
    // Line range → id of its normalised text; normalised text → id.
    let mut range_ids: HashMap<(usize, usize), usize> = HashMap::new();
    let mut text_ids: HashMap<String, usize> = HashMap::new();
    // (rule, text id) → the hash state after the version, rule, (path) and text; and how many
    // findings with that key came before.
    let mut states: HashMap<(&str, usize), (Fnv64, usize)> = HashMap::new();
    file.findings
        .iter()
        .map(|finding| {
            let range = line_range(source, &index, finding.span.start, finding.span.end);
            let text_id = *range_ids.entry(range).or_insert_with(|| {
                let text = normalize(&source[range.0..range.1]);
                let next = text_ids.len();
                *text_ids.entry(text).or_insert(next)
            });
            let (state, seen) = states
                .entry((finding.rule.as_str(), text_id))
                .or_insert_with(|| {
                    let text = normalize(&source[range.0..range.1]);
                    let mut hasher = Fnv64::default();
                    let parts: &[&str] = match path {
                        Some(path) => &[VERSION_1, &finding.rule, path, &text],
                        None => &[VERSION, &finding.rule, &text],
                    };
                    for part in parts {
                        hasher.write(part.as_bytes());
                        // A separator byte so ("ab","c") and ("a","bc") differ.
                        hasher.write(&[0]);
                    }
                    (hasher, 0)
                });
            let mut hasher = Fnv64(state.0);
            hasher.write(seen.to_string().as_bytes());
            hasher.write(&[0]);
            *seen += 1;
            format!("{:016x}", hasher.0)
        })
        .collect()
}

/// The byte range of the full lines `start..end` touches, without the final newline.
fn line_range(source: &str, index: &LineIndex, start: usize, end: usize) -> (usize, usize) {
    let start = crate::text::floor_boundary(source, start);
    let end = crate::text::floor_boundary(source, end.max(start));
    let line_start = index
        .line_start(index.position(source, start).0)
        .unwrap_or(0);
    let end_line = index.position(source, end).0;
    let line_end = index
        .line_start(end_line + 1)
        .map_or(source.len(), |next| next - 1);
    (line_start, line_end.max(line_start))
}

/// Text trimmed, with whitespace runs collapsed to one space.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// FNV-1a, 64 bit: tiny, and unlike `DefaultHasher` stable across Rust releases, which a
/// fingerprint written into a committed baseline file needs.
#[derive(Clone, Copy)]
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
    fn the_recipes_are_unchanged() {
        // Baselines written by earlier versions must keep matching.
        let file = file("# Run\n\nOwner: TBD\nOwner:  TBD\n", &["TBD", "TBD"]);
        assert_eq!(
            fingerprints_v1(&file),
            vec!["61362aa3e22bc334", "613990a3e22ea65d"]
        );
        assert_eq!(
            fingerprints(&file),
            vec!["b7fc5647b0076ea7", "b7f8f047b0048b7e"]
        );
    }

    #[test]
    fn equal_lines_get_distinct_fingerprints_by_occurrence() {
        let prints = fingerprints(&file("Owner: TBD\nOwner: TBD\n", &["TBD", "TBD"]));
        assert_ne!(prints[0], prints[1]);
    }

    #[test]
    fn text_and_rule_change_the_fingerprint_the_path_only_in_v1() {
        let a = fingerprints(&file("Owner: TBD\n", &["TBD"]));
        let b = fingerprints(&file("Pager: TBD\n", &["TBD"]));
        assert_ne!(a, b);
        let mut moved = file("Owner: TBD\n", &["TBD"]);
        moved.path = "docs/other.md".into();
        assert_eq!(a, fingerprints(&moved));
        let original = file("Owner: TBD\n", &["TBD"]);
        assert_ne!(fingerprints_v1(&original), fingerprints_v1(&moved));
        let mut other_rule = file("Owner: TBD\n", &["TBD"]);
        other_rule.findings[0].rule = "placeholder-contact".into();
        assert_ne!(a, fingerprints(&other_rule));
    }
}
