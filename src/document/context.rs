//! Environment context of a section: is this step run against production, staging, a laptop,
//! or is it a rollback? Worked out from heading words, inherited down the heading tree, and
//! overridable with `<!-- runbook-lint env=production -->`.

use serde::Serialize;

/// Where the commands of a section are meant to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnvContext {
    /// Production or a live system.
    Production,
    /// Staging, pre-production, UAT.
    Staging,
    /// A developer's machine or a throwaway environment.
    Development,
    /// A rollback, recovery or troubleshooting section: restores and downgrades belong here.
    Rollback,
    /// Nothing in the heading ancestry says.
    Unknown,
}

impl EnvContext {
    /// Every context, in a fixed order (for docs and severity tables).
    pub const ALL: [EnvContext; 5] = [
        EnvContext::Production,
        EnvContext::Staging,
        EnvContext::Development,
        EnvContext::Rollback,
        EnvContext::Unknown,
    ];

    /// The kebab-case name used in config files, packs and `env=` markers.
    pub fn name(self) -> &'static str {
        match self {
            EnvContext::Production => "production",
            EnvContext::Staging => "staging",
            EnvContext::Development => "development",
            EnvContext::Rollback => "rollback",
            EnvContext::Unknown => "unknown",
        }
    }

    /// Parses a context name, accepting the common short forms.
    pub fn parse(name: &str) -> Option<EnvContext> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "production" | "prod" => EnvContext::Production,
            "staging" | "stage" => EnvContext::Staging,
            "development" | "dev" | "local" => EnvContext::Development,
            "rollback" | "recovery" => EnvContext::Rollback,
            "unknown" => EnvContext::Unknown,
            _ => return None,
        })
    }
}

/// Heading words that put a section in a context. Matched as whole words, case-insensitively;
/// an entry with a space matches that phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextWords {
    /// Words meaning production.
    pub production: Vec<String>,
    /// Words meaning staging.
    pub staging: Vec<String>,
    /// Words meaning development.
    pub development: Vec<String>,
    /// Words meaning rollback or recovery.
    pub rollback: Vec<String>,
}

fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

impl Default for ContextWords {
    fn default() -> Self {
        ContextWords {
            production: owned(&["production", "prod", "live", "go-live", "prd"]),
            staging: owned(&[
                "staging",
                "stage",
                "pre-production",
                "preprod",
                "pre-prod",
                "uat",
            ]),
            development: owned(&[
                "local",
                "locally",
                "development",
                "dev",
                "developer",
                "developers",
                "localhost",
                "sandbox",
                "devcontainer",
                "getting started",
                "get started",
                "quick start",
                "quickstart",
                "quick-start",
                "onboarding",
                "contributing",
            ]),
            rollback: owned(&[
                "rollback",
                "roll back",
                "rolling back",
                "rollbacks",
                "revert",
                "reverting",
                "recovery",
                "recover",
                "restore",
                "restoring",
                "disaster",
                "troubleshooting",
                "troubleshoot",
                "downgrade",
            ]),
        }
    }
}

impl ContextWords {
    /// The context a heading's own words name, if any. When several match, the more specific
    /// wins: rollback, then production, staging and development ("Production rollback" is a
    /// rollback; "Staging and production" is production, the safer reading).
    pub fn classify(&self, heading: &str) -> Option<EnvContext> {
        let words = HeadingWords::from_words(self.words_of(heading));
        let has = |list: &[String]| list.iter().any(|w| words.contains(w));
        if has(&self.rollback) {
            Some(EnvContext::Rollback)
        } else if has(&self.production) {
            Some(EnvContext::Production)
        } else if has(&self.staging) {
            Some(EnvContext::Staging)
        } else if has(&self.development) {
            Some(EnvContext::Development)
        } else {
            None
        }
    }

    /// Heading words, with a hyphenated word split into its parts unless the whole word is a
    /// context word itself ("pre-production" stays whole, "go-to-production" splits).
    fn words_of(&self, heading: &str) -> Vec<String> {
        let known = |w: &str| {
            [
                &self.production,
                &self.staging,
                &self.development,
                &self.rollback,
            ]
            .iter()
            .any(|list| list.iter().any(|k| k == w))
        };
        let mut words = Vec::new();
        for word in heading_words(heading) {
            if word.contains('-') && !known(&word) {
                words.extend(word.split('-').filter(|p| !p.is_empty()).map(String::from));
            } else {
                words.push(word);
            }
        }
        words
    }
}

/// Lower-cased words of a heading, hyphenated words kept whole.
pub fn heading_words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// A heading's words ([`heading_words`]) and which word lengths occur among them: most
/// phrases asked about are one word, and a word of a length the heading lacks is answered
/// without a comparison (headings are asked about every word list, many times per file).
#[derive(Debug, Clone, Default)]
pub struct HeadingWords {
    words: Vec<String>,
    /// Bit `n` set when a word is `n` bytes long (bit 63: 63 or more).
    lengths: u64,
}

impl HeadingWords {
    /// The words of `heading`.
    pub fn new(heading: &str) -> Self {
        Self::from_words(heading_words(heading))
    }

    /// These words.
    pub fn from_words(words: Vec<String>) -> Self {
        let lengths = words.iter().fold(0, |bits, w| bits | length_bit(w.len()));
        HeadingWords { words, lengths }
    }

    /// The words, in order.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// [`contains_phrase`] of these words.
    pub fn contains(&self, phrase: &str) -> bool {
        let bytes = phrase.as_bytes();
        // A phrase of ASCII letters and no whitespace is one word: it can only equal a word of
        // its own length. Anything else takes the general path.
        let plain = bytes
            .iter()
            .all(|b| !matches!(b, b'\t'..=b'\r' | b' ') && b.is_ascii());
        if plain {
            return !phrase.is_empty()
                && self.lengths & length_bit(bytes.len()) != 0
                && self.words.iter().any(|w| w == phrase);
        }
        // Every word of the phrase must be a word of the heading, so of a length it has.
        if phrase
            .split_whitespace()
            .any(|p| self.lengths & length_bit(p.len()) == 0)
        {
            return false;
        }
        contains_phrase(&self.words, phrase)
    }
}

fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// True when `phrase` (one or more space-separated words) occurs in `words`.
pub fn contains_phrase(words: &[String], phrase: &str) -> bool {
    // Most phrases are one word: no allocation for them. A byte test first: an ASCII phrase
    // without a whitespace byte has no whitespace character (this runs for every heading
    // against every word list).
    let maybe_spaced = phrase
        .bytes()
        .any(|b| matches!(b, b'\t'..=b'\r' | b' ') || !b.is_ascii());
    if !(maybe_spaced && phrase.contains(char::is_whitespace)) {
        return !phrase.is_empty() && words.iter().any(|w| w == phrase);
    }
    // No allocation here either: it runs for every heading against every word list.
    let n = phrase.split_whitespace().count();
    match n {
        0 => false,
        _ => words.windows(n).any(|window| {
            window
                .iter()
                .zip(phrase.split_whitespace())
                .all(|(w, p)| w == p)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_common_headings() {
        let words = ContextWords::default();
        let cases = [
            (
                "Phase 3: Production Deployment",
                Some(EnvContext::Production),
            ),
            ("Local development", Some(EnvContext::Development)),
            ("Deploy to Staging", Some(EnvContext::Staging)),
            ("Production rollback", Some(EnvContext::Rollback)),
            ("Staging and production", Some(EnvContext::Production)),
            ("Pre-production checks", Some(EnvContext::Staging)),
            ("Contacts", None),
            ("Getting started", Some(EnvContext::Development)),
            ("Quick start", Some(EnvContext::Development)),
            ("Reset your local database", Some(EnvContext::Development)),
            ("Development setup", Some(EnvContext::Development)),
            ("DevOps notes", None),
            ("Productivity tips", None),
        ];
        for (heading, expected) in cases {
            assert_eq!(words.classify(heading), expected, "{heading}");
        }
    }

    #[test]
    fn parses_marker_names() {
        assert_eq!(EnvContext::parse("prod"), Some(EnvContext::Production));
        assert_eq!(EnvContext::parse("Local"), Some(EnvContext::Development));
        assert_eq!(EnvContext::parse("moon"), None);
    }
}
