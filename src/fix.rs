//! Fixes: the edits a finding offers, and applying them to a runbook's text.
//!
//! A rule attaches a [`Fix`] where it already knows the answer (a did-you-mean, a repaired
//! encoding). The CLI (`check --fix`, `--unsafe-fixes`, `--diff`) and the language server use
//! the same [`apply`]: edits are applied in order of position, an edit overlapping one already
//! taken is skipped (the next pass, after linting the new text again, picks it up if it still
//! applies), and a fix is all or nothing. Fixes only ever edit the runbook they were found in,
//! never a manifest.

use std::io;
use std::path::Path;

use serde::Serialize;

use crate::span::Span;

/// How sure a fix is to keep the author's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Mechanical: the only sensible reading (`check --fix` applies it).
    Safe,
    /// Probably right, but a person should look (`check --fix --unsafe-fixes`).
    Unsafe,
}

impl Applicability {
    /// `safe` or `unsafe`.
    pub fn name(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes of `span` with `replacement` (an insertion when the span is empty).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Edit {
    /// Bytes to replace in the runbook.
    pub span: Span,
    /// The new text.
    pub replacement: String,
}

impl Edit {
    /// Replaces `span` with `replacement`.
    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }
}

/// A finding's fix: one or more edits, applied together or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// What the fix does, for editors' code action titles: "replace with `test:e2e`".
    pub description: String,
    /// The edits, non-overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A safe fix of one edit.
    pub fn safe(description: impl Into<String>, edit: Edit) -> Self {
        Fix {
            applicability: Applicability::Safe,
            description: description.into(),
            edits: vec![edit],
        }
    }

    /// An unsafe fix of one edit.
    pub fn unsafe_edit(description: impl Into<String>, edit: Edit) -> Self {
        Fix {
            applicability: Applicability::Unsafe,
            description: description.into(),
            edits: vec![edit],
        }
    }

    /// The smallest span covering every edit.
    pub fn span(&self) -> Span {
        let start = self.edits.iter().map(|e| e.span.start).min().unwrap_or(0);
        let end = self.edits.iter().map(|e| e.span.end).max().unwrap_or(0);
        Span::new(start, end)
    }

    /// True when every edit lies on character boundaries of `text` and changes something.
    pub fn fits(&self, text: &str) -> bool {
        !self.edits.is_empty()
            && self.edits.iter().all(|e| {
                e.span.end <= text.len()
                    && text.is_char_boundary(e.span.start)
                    && text.is_char_boundary(e.span.end)
            })
            && self
                .edits
                .iter()
                .any(|e| text[e.span.range()] != *e.replacement)
    }
}

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FixMode {
    /// None: report only.
    #[default]
    Off,
    /// Safe fixes.
    Safe,
    /// Safe and unsafe fixes.
    Unsafe,
}

impl FixMode {
    /// True when a fix of this applicability is applied in this mode.
    pub fn allows(self, applicability: Applicability) -> bool {
        match self {
            FixMode::Off => false,
            FixMode::Safe => applicability == Applicability::Safe,
            FixMode::Unsafe => true,
        }
    }
}

/// Applies `fixes` to `text`: in order of position (ties keep their given order), each fix
/// whole or not at all, skipping a fix that overlaps an edit already taken or does not fit the
/// text. Returns the new text and how many fixes were applied.
pub fn apply<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (String, usize) {
    let mut fixes: Vec<&Fix> = fixes.into_iter().filter(|f| f.fits(text)).collect();
    fixes.sort_by_key(|f| (f.span().start, f.span().end));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let mut edits: Vec<&Edit> = fix.edits.iter().collect();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let self_overlap = edits
            .windows(2)
            .any(|w| w[0].span.end > w[1].span.start || w[0].span == w[1].span);
        let clashes = edits
            .iter()
            .any(|e| taken.iter().any(|t| touches(t.span, e.span)));
        if self_overlap || clashes {
            continue;
        }
        taken.extend(edits);
        applied += 1;
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in taken {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// True when two edits cannot both be applied: they share a byte, or are insertions at the
/// same point (their order would be arbitrary), or one inserts inside the other.
fn touches(a: Span, b: Span) -> bool {
    a.overlaps(b)
        || (a.start == b.start && (a.is_empty() || b.is_empty()))
        || (a.is_empty() && b.start < a.start && a.start < b.end)
        || (b.is_empty() && a.start < b.start && b.start < a.end)
}

/// Passes of lint-then-fix before giving up: a fix can expose another (ruff stops at 100).
pub const MAX_PASSES: usize = 10;

/// A unified diff of `before` → `after` for `path`, empty when they are equal.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(before, after);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Writes `fixed` over the runbook at `path`, if it still holds `original` (an editor may have
/// saved it meanwhile: the fixes were computed for the old text). A symlinked runbook has its
/// target fixed (it was read, so it resolves inside the project root); the link stays. The
/// check reads at most one byte more than `original` and the write is atomic, both through
/// [`crate::fsio`].
pub fn write_fixed(path: &Path, original: &str, fixed: &str) -> io::Result<()> {
    let real = path.canonicalize()?;
    let unchanged = match crate::fsio::read(&real, None, original.len() as u64) {
        Ok(bytes) => bytes == original.as_bytes(),
        Err(crate::fsio::ReadError::Io(error)) => return Err(error),
        Err(_) => false,
    };
    if !unchanged {
        return Err(io::Error::other(
            "the file changed while it was being fixed",
        ));
    }
    crate::fsio::write_atomic(&real, fixed.as_bytes())
}

/// Edit distance with adjacent transpositions (`deplyo` → `deploy` is one edit).
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// Words shorter than this are never fixed safely: one edit is too much of a short name.
const SAFE_MIN_CHARS: usize = 4;

/// The name `word` most likely means, out of `candidates`, and how sure that is: the only
/// candidate one edit away is safe (a typo with one reading); else the one name did-you-mean
/// finds is unsafe. `None` when two names are one edit away, or did-you-mean finds none or
/// several.
///
/// Every candidate looked at counts against the file's did-you-mean budget (a page of
/// thousands of headings and broken anchors must stay linear), and a fix is only offered when
/// all of them could be looked at: a partial look could miss the second near name that makes
/// a fix ambiguous.
pub fn closest<'a, S: AsRef<str>>(
    word: &str,
    candidates: &'a [S],
) -> Option<(&'a str, Applicability)> {
    if crate::suggest::suggestion_budget_left() < candidates.len().saturating_mul(2) {
        return None;
    }
    let names: Vec<&'a str> = candidates.iter().map(AsRef::as_ref).collect();
    // With twice the candidates left in the budget the search is never cut short (one pass
    // here, at most one in did-you-mean), so it may be remembered.
    let found = crate::suggest::memoized(
        crate::suggest::MemoKind::Closest,
        word,
        &names,
        names.len().saturating_mul(2),
        || match closest_uncached(word, &names) {
            Some((i, Applicability::Safe)) => vec![i as u32, 0],
            Some((i, Applicability::Unsafe)) => vec![i as u32, 1],
            None => Vec::new(),
        },
    );
    match found.as_slice() {
        [i, 0] => Some((names[*i as usize], Applicability::Safe)),
        [i, _] => Some((names[*i as usize], Applicability::Unsafe)),
        _ => None,
    }
}

/// [`closest`] computed: the index of the name in `candidates`.
fn closest_uncached(word: &str, candidates: &[&str]) -> Option<(usize, Applicability)> {
    let chars = word.chars().count();
    let mut near: Vec<(&str, usize)> = candidates
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, c)| {
            crate::suggest::spend_suggestion_budget()
                && *c != word
                // One edit apart means at most one character apart in length.
                && c.len().abs_diff(word.len()) <= 4
                && c.chars().count().abs_diff(chars) <= 1
                && edit_distance(word, c) <= 1
        })
        .map(|(i, c)| (c, i))
        .collect();
    // By name, the first of equal names kept.
    near.sort_unstable();
    near.dedup_by(|a, b| a.0 == b.0);
    match near.as_slice() {
        [(_, one)] if word.chars().count() >= SAFE_MIN_CHARS => Some((*one, Applicability::Safe)),
        [(_, one)] => Some((*one, Applicability::Unsafe)),
        [_, _, ..] => None,
        [] => match crate::suggest::did_you_mean(word, candidates.iter().copied()).as_slice() {
            [one] if edit_distance(word, one) <= 2 || abbreviates(word, one) => {
                let index = candidates.iter().position(|c| c == one)?;
                Some((index, Applicability::Unsafe))
            }
            _ => None,
        },
    }
}

/// True when one name is the other cut at a separator (`deploy-prod` / `deploy-production`,
/// `Dockerfile` / `Dockerfile.production`): a shortened or lengthened name, not a different one.
fn abbreviates(a: &str, b: &str) -> bool {
    const SEPARATORS: [char; 5] = ['-', '_', ':', '.', '/'];
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.strip_prefix(short).is_some_and(|rest| {
        !rest.is_empty() && (rest.starts_with(SEPARATORS) || short.contains(SEPARATORS))
    })
}

/// The fix for a did-you-mean: replace the `word` at `span` with the name it most likely
/// means among `candidates` ([`closest`]). `None` when there is no single answer, or when the
/// text at `span` is not exactly `word` (quoted, escaped or split over lines: an edit there
/// could break the command).
pub fn did_you_mean_fix<S: AsRef<str>>(
    source: &str,
    span: Span,
    word: &str,
    candidates: &[S],
) -> Option<Fix> {
    let (suggestion, applicability) = closest(word, candidates)?;
    replacement_fix(source, span, word, suggestion, applicability)
}

/// Replace the `word` at `span` with `replacement`; `None` unless the text there is exactly
/// `word`.
pub fn replacement_fix(
    source: &str,
    span: Span,
    word: &str,
    replacement: &str,
    applicability: Applicability,
) -> Option<Fix> {
    (source.get(span.range()) == Some(word) && word != replacement).then(|| Fix {
        applicability,
        description: format!("replace `{word}` with `{replacement}`"),
        edits: vec![Edit::replace(span, replacement)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(start: usize, end: usize, text: &str) -> Fix {
        Fix::safe("test", Edit::replace(Span::new(start, end), text))
    }

    #[test]
    fn applies_in_order_and_skips_overlaps() {
        let text = "pnpm tset and make biuld";
        let fixes = [fix(19, 24, "build"), fix(5, 9, "test"), fix(7, 12, "x")];
        let (out, applied) = apply(text, &fixes);
        assert_eq!(out, "pnpm test and make build");
        assert_eq!(applied, 2);
    }

    #[test]
    fn insertions_at_one_point_are_taken_once() {
        let (out, applied) = apply("ab", &[fix(1, 1, "X"), fix(1, 1, "Y")]);
        assert_eq!((out.as_str(), applied), ("aXb", 1));
        // An insertion inside a replaced range would be lost: skipped.
        let (out, applied) = apply("abcd", &[fix(1, 3, "Z"), fix(2, 2, "Y")]);
        assert_eq!((out.as_str(), applied), ("aZd", 1));
    }

    #[test]
    fn a_fix_is_all_or_nothing() {
        let two = Fix {
            applicability: Applicability::Safe,
            description: "two".into(),
            edits: vec![
                Edit::replace(Span::new(0, 1), "A"),
                Edit::replace(Span::new(3, 4), "D"),
            ],
        };
        let (out, applied) = apply("abcd", &[fix(2, 4, "Q"), two]);
        // Ordered by start: `two` (0..4) first, then the clashing 2..4 is skipped.
        assert_eq!((out.as_str(), applied), ("AbcD", 1));
    }

    #[test]
    fn edits_off_boundaries_or_changing_nothing_are_ignored() {
        let text = "é";
        assert_eq!(apply(text, &[fix(1, 2, "x")]), ("é".to_string(), 0));
        assert_eq!(apply(text, &[fix(0, 9, "x")]), ("é".to_string(), 0));
        assert_eq!(apply(text, &[fix(0, 2, "é")]), ("é".to_string(), 0));
    }

    #[test]
    fn atomic_writes_replace_and_keep_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.md");
        std::fs::write(&path, "old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_fixed(&path, "old\n", "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        // Changed on disk since it was read: left alone.
        assert!(write_fixed(&path, "old\n", "newer\n").is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn diff_is_unified_with_headers() {
        assert_eq!(unified_diff("a.md", "x\n", "x\n"), "");
        let diff = unified_diff("docs/a.md", "one\ntwo\n", "one\n2\n");
        assert_eq!(
            diff,
            "--- a/docs/a.md\n+++ b/docs/a.md\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n"
        );
    }

    #[test]
    fn one_edit_typos_with_one_reading_are_safe() {
        let names = ["deploy", "test", "test:e2e", "build", "built", "api"];
        assert_eq!(
            closest("deplyo", &names),
            Some(("deploy", Applicability::Safe))
        );
        // One transposition from `test` only, though `test:e2e` looks alike too.
        assert_eq!(closest("tset", &names), Some(("test", Applicability::Safe)));
        // `buil` is one edit from `build` and from `built`: two readings, no fix.
        assert_eq!(closest("buil", &names), None);
        // Short words are never safe; farther names never are.
        assert_eq!(closest("apj", &names), Some(("api", Applicability::Unsafe)));
        assert_eq!(closest("test:auth", &names), None);
        assert_eq!(
            closest("test:e2f", &["test:e2e", "build"]),
            Some(("test:e2e", Applicability::Safe))
        );
        assert_eq!(
            closest("deploy-prod", &["deploy-production", "build"]),
            Some(("deploy-production", Applicability::Unsafe))
        );
        // Far apart and not a shortened name: the help may mention it, no fix does.
        assert_eq!(closest("test:unit", &["test:security", "build"]), None);
        assert_eq!(closest("backup.sh", &["rollback.sh"]), None);
        assert_eq!(
            closest("Dockerfile.production", &["Dockerfile", "README.md"]),
            Some(("Dockerfile", Applicability::Unsafe))
        );
        let fix = did_you_mean_fix("make deplyo", Span::new(5, 11), "deplyo", &names).unwrap();
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(fix.edits, vec![Edit::replace(Span::new(5, 11), "deploy")]);
        // Quoted in the source: no edit.
        assert!(did_you_mean_fix("make 'deplyo'", Span::new(5, 13), "deplyo", &names).is_none());
    }
}
