//! Secret masking: the credential patterns `hardcoded-secret` reports, and the masking
//! ([`redact`], [`Masker`]) the engine applies to every text and message a report prints, so no
//! output format shows a secret found in a runbook (not in messages, not in source excerpts,
//! not in JSON). Values quoted in error messages go through [`shown`] for the same reason.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// One masking rule: a kind of secret and its pattern. The capture group `secret` (or the
/// whole match) is what gets masked.
#[derive(Debug)]
pub struct RedactionRule {
    /// Stable id (`github-token`).
    pub id: &'static str,
    /// What the finding calls it ("a GitHub token").
    pub kind: &'static str,
    /// The pattern.
    pub regex: Regex,
    /// Characters of the token itself: a match with one of them right before or after it is
    /// part of a longer word, not a token. Checked in code rather than with `\b`, so a key
    /// glued to other text (`AKIA..._VAR`) is still one.
    token_char: Option<fn(char) -> bool>,
}

fn rule(
    id: &'static str,
    kind: &'static str,
    pattern: &str,
    token_char: Option<fn(char) -> bool>,
) -> RedactionRule {
    RedactionRule {
        id,
        kind,
        regex: Regex::new(pattern).expect("redaction regex"),
        token_char,
    }
}

fn upper_or_digit(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

fn alphanumeric(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn jwt_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Every masking rule, for all output formats: use [`redact`] on any text that is printed.
pub static REDACTED_RULES: LazyLock<Vec<RedactionRule>> = LazyLock::new(|| {
    vec![
        rule(
            "aws-access-key",
            "an AWS access key id",
            r"(?P<secret>(?:AKIA|ASIA)[0-9A-Z]{16})",
            Some(upper_or_digit),
        ),
        rule(
            "github-token",
            "a GitHub token",
            r"(?P<secret>gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})",
            Some(alphanumeric),
        ),
        rule(
            "gitlab-token",
            "a GitLab token",
            r"(?P<secret>glpat-[A-Za-z0-9_-]{20,})",
            Some(alphanumeric),
        ),
        rule(
            "slack-token",
            "a Slack token",
            r"(?P<secret>xox[abposr]-[A-Za-z0-9-]{10,})",
            Some(alphanumeric),
        ),
        rule(
            "slack-webhook",
            "a Slack webhook URL",
            r"https://hooks\.slack\.com/services/(?P<secret>T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{16,})",
            None,
        ),
        rule(
            "stripe-live-key",
            "a Stripe live key",
            r"(?P<secret>(?:sk|rk)_live_[A-Za-z0-9]{20,})",
            Some(alphanumeric),
        ),
        // The body may be block-quoted (`> ` on each line), or one string with `\n` escapes
        // (JSON, YAML, an env var); headers such as `Proc-Type: 4,ENCRYPTED` are part of it.
        rule(
            "private-key",
            "a private key",
            r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?P<secret>[A-Za-z0-9+/=\s>\\:,.-]{64,}?)-----END",
            None,
        ),
        rule(
            "jwt",
            "a JSON Web Token",
            r"(?P<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})",
            Some(jwt_char),
        ),
        // The user may be empty (`redis://:pw@host`) and the password may hold `/`.
        rule(
            "url-password",
            "a password in a connection URL",
            r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@<>\[\]{}$]*:(?P<secret>[^\s@<>\[\]{}$'`]{2,})@(?P<host>[^\s/:?#`'\x22@]+)",
            None,
        ),
        rule(
            "default-credentials",
            "default credentials",
            r"(?i)(?:^|[\s`\x22'(:])(?P<secret>(?:admin|root)\s?/\s?(?:admin|root|password|123456|admin123))(?:$|[\s`\x22').,;])",
            None,
        ),
    ]
});

/// What a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// A template or an obvious dummy (`<token>`, `$TOKEN`, `xxxx`, `****`, AWS's
    /// documented `...EXAMPLE` keys): neither reported nor masked.
    Template,
    /// Credential-shaped but probably a placeholder or a development default (`changeme`,
    /// `postgres:postgres@localhost`, a compose service host): masked, not reported.
    MaskOnly,
    /// A secret: reported and masked.
    Secret,
}

/// Text that makes a candidate a template, not a value: nothing to hide.
const TEMPLATE_MARKERS: &[&str] = &[
    "xxxx", "****", "...", "…", "<", ">", "$", "{", "}", "[", "]",
];

/// Words that make a candidate a placeholder wherever they appear in it.
const PLACEHOLDER_MARKERS: &[&str] = &[
    "example",
    "changeme",
    "change-me",
    "change_me",
    "your",
    "placeholder",
    "dummy",
    "fake",
    "sample",
    "redacted",
];

/// Words that make a candidate a placeholder only when it is made of little else
/// (`mysecret`, `test123`, `token_here`): a real password or key may contain them.
const PLACEHOLDER_WORDS: &[&str] = &[
    "secret", "password", "passwd", "token", "test", "here", "abcdef", "my", "the", "key", "pass",
    "api",
];

/// Hosts whose connection-URL passwords are throwaway defaults.
const LOCAL_HOSTS: &[&str] = &[
    "localhost",
    "127.0.0.1",
    "0.0.0.0",
    "host.docker.internal",
    "::1",
];

fn verdict(rule: &RedactionRule, secret: &str, host: Option<&str>) -> Verdict {
    let lower = secret.to_ascii_lowercase();
    if rule.id == "private-key" {
        // At least 64 characters of base64 body, not `...` or a short stub.
        let body = secret
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
            .count();
        return if body < 64 || lower.contains("...") || lower.contains('…') {
            Verdict::Template
        } else {
            Verdict::Secret
        };
    }
    if rule.id == "default-credentials" {
        return Verdict::Secret;
    }
    if TEMPLATE_MARKERS.iter().any(|m| lower.contains(m))
        || (rule.id == "aws-access-key" && lower.ends_with("example"))
    {
        return Verdict::Template;
    }
    // One repeated character (`aaaaaaaa`, `00000000`) is a dummy.
    let mut chars = lower.chars().filter(|c| c.is_ascii_alphanumeric());
    if let Some(first) = chars.next() {
        if chars.all(|c| c == first) {
            return Verdict::Template;
        }
    }
    if rule.id == "url-password"
        && lower.split('/').next().is_some_and(|head| {
            secret.contains('/') && !head.is_empty() && head.bytes().all(|b| b.is_ascii_digit())
        })
    {
        // `https://host:8080/path@x`: a port and a path, not a password.
        return Verdict::Template;
    }
    if PLACEHOLDER_MARKERS.iter().any(|m| lower.contains(m)) || mostly_placeholder_words(&lower) {
        return Verdict::MaskOnly;
    }
    if rule.id == "url-password" {
        let host = host.unwrap_or("").to_ascii_lowercase();
        // A compose service name (`@db:5432`, `@postgres`) or localhost: a development default.
        if LOCAL_HOSTS.contains(&host.as_str()) || !host.contains('.') {
            return Verdict::MaskOnly;
        }
        if host.ends_with("example.com") || host.ends_with(".example") || host.ends_with(".local") {
            return Verdict::MaskOnly;
        }
        // `user:pass@`, `postgres:postgres@`: the words of a tutorial.
        if lower.len() < 4
            || matches!(
                lower.as_str(),
                "pass" | "pw" | "pwd" | "postgres" | "root" | "admin" | "mysql" | "user" | "guest"
            )
        {
            return Verdict::MaskOnly;
        }
    }
    Verdict::Secret
}

/// True when, without [`PLACEHOLDER_WORDS`] and digits, fewer than four letters are left.
fn mostly_placeholder_words(lower: &str) -> bool {
    let mut rest: String = lower.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    for word in PLACEHOLDER_WORDS {
        rest = rest.replace(word, "");
    }
    rest.len() < 4
}

/// Words that introduce an example right before a value: "such as `admin/admin`".
static EXAMPLE_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:such\s+as|like|e\.\s?g\.?|for\s+example|for\s+instance)[\s(`\x22']*$")
        .expect("example cue regex")
});

/// True when the text right before `start` introduces an example.
fn named_as_example(text: &str, start: usize) -> bool {
    let from = crate::text::floor_boundary(text, start.saturating_sub(40));
    text.get(from..start).is_some_and(|before| EXAMPLE_CUE.is_match(before))
}

/// A secret found in text: which rule, and the byte range of the secret itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundSecret {
    /// The masking rule's id.
    pub rule: &'static str,
    /// What it is ("a GitHub token").
    pub kind: &'static str,
    /// Byte range of the secret in the searched text.
    pub start: usize,
    /// End of the range.
    pub end: usize,
    /// False for a placeholder or development default: masked in output, not reported.
    pub reported: bool,
}

/// One cheap pattern per rule of [`REDACTED_RULES`] (same order): a literal part of that rule's
/// pattern, so a rule whose prefilter does not match cannot match either. One pass over the
/// text decides which full patterns (with captures) are worth running; nearly every text is
/// clean, and this runs on every file and every message.
static PREFILTER: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSet::new([
        r"AKIA|ASIA",
        r"gh[pousr]_|github_pat_",
        r"glpat-",
        r"xox[abposr]-",
        r"https://hooks\.slack\.com/services/",
        r"(?:sk|rk)_live_",
        r"-----BEGIN ",
        r"eyJ",
        r"://",
        r"(?i)(?:admin|root)\s?/",
    ])
    .expect("secret prefilter")
});

/// Every credential-shaped value in `text` that is not a template, sorted: the ones to
/// report have `reported` set, and all of them are masked.
pub fn find_secrets(text: &str) -> Vec<FoundSecret> {
    let mut found = Vec::new();
    let candidates = PREFILTER.matches(text);
    if !candidates.matched_any() {
        return found;
    }
    for (index, rule) in REDACTED_RULES.iter().enumerate() {
        if !candidates.matched(index) {
            continue;
        }
        for caps in rule.regex.captures_iter(text) {
            let Some(secret) = caps.name("secret").or_else(|| caps.get(0)) else {
                continue;
            };
            if let Some(token_char) = rule.token_char {
                let before = text[..secret.start()].chars().next_back();
                let after = text[secret.end()..].chars().next();
                if before.is_some_and(token_char) || after.is_some_and(token_char) {
                    continue; // part of a longer word
                }
            }
            // A private key's body without the whitespace and quote marks around it.
            let (start, end) = if rule.id == "private-key" {
                let body = secret.as_str();
                let trimmed = body.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
                let start = secret.start() + (body.len() - trimmed.len());
                let trimmed = trimmed.trim_end_matches(|c: char| c.is_whitespace() || c == '>');
                (start, start + trimmed.len())
            } else {
                (secret.start(), secret.end())
            };
            let host = caps.name("host").map(|m| m.as_str());
            let mut verdict = verdict(rule, &text[start..end], host);
            // "default credentials such as admin/admin" names a kind, not the ones to use.
            if rule.id == "default-credentials" && named_as_example(text, start) {
                verdict = Verdict::MaskOnly;
            }
            if verdict == Verdict::Template || start == end {
                continue;
            }
            found.push(FoundSecret {
                rule: rule.id,
                kind: rule.kind,
                start,
                end,
                reported: verdict == Verdict::Secret,
            });
        }
    }
    found.sort_by_key(|f| (f.start, f.end));
    found
}

/// `text` with every secret masked by `*`, byte length kept (so spans stay valid). Line breaks
/// inside a masked private key are kept too.
pub fn redact(text: &str) -> Cow<'_, str> {
    let found = find_secrets(text);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(mask_ranges(
        text,
        found.iter().map(|f| (f.start, f.end)).collect(),
    ))
}

/// `text` with each byte range masked by `*`, byte length and line breaks kept.
fn mask_ranges(text: &str, mut ranges: Vec<(usize, usize)>) -> String {
    ranges.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in ranges {
        let start = crate::text::floor_boundary(text, start.max(last));
        let end = crate::text::ceil_boundary(text, end);
        if end <= start {
            continue;
        }
        out.push_str(&text[last..start]);
        for c in text[start..end].chars() {
            if c == '\n' || c == '\r' {
                out.push(c);
            } else {
                out.extend(std::iter::repeat_n('*', c.len_utf8()));
            }
        }
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// Shortest secret (in letters and digits) looked for in derived text: a shorter one would
/// mask ordinary words.
const MIN_DERIVED_SECRET: usize = 8;

/// True for a squeezed secret worth looking for in other spellings: long enough and with both
/// letters and digits, so never an ordinary word (a password `production` is masked where it
/// is written, not in every heading that says production).
fn looks_random(squeezed: &str) -> bool {
    squeezed.chars().count() >= MIN_DERIVED_SECRET
        && squeezed.chars().any(|c| c.is_ascii_digit())
        && squeezed.chars().any(|c| c.is_alphabetic())
}

/// The secrets of one text (a runbook, a linked Markdown file), to mask them in every string
/// built from it. Patterns find secrets as written; a string built from the text may carry one
/// transformed: a heading slug lower-cases it and drops punctuation
/// (`rotate-akiaq7xk2mzp4lnb8wrt-now`). So each secret is also looked for case-insensitively,
/// letters and digits only, and masked wherever it appears.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    /// Each secret's letters and digits, lower-cased.
    secrets: Vec<String>,
    /// Byte ranges to mask in the text itself: the secrets and their other spellings in it.
    ranges: Vec<(usize, usize)>,
}

impl Masker {
    /// Finds the secrets of `text`.
    pub fn new(text: &str) -> Masker {
        let found = find_secrets(text);
        let mut secrets: Vec<String> = found
            .iter()
            .filter(|f| f.reported)
            .map(|f| squeeze(&text[f.start..f.end]).0)
            .filter(|s| looks_random(s))
            .collect();
        secrets.sort();
        secrets.dedup();
        let mut ranges: Vec<(usize, usize)> = found.iter().map(|f| (f.start, f.end)).collect();
        if !secrets.is_empty() {
            ranges.extend(occurrences(text, &secrets));
        }
        Masker { secrets, ranges }
    }

    /// The text this masker was made from, masked (byte length kept).
    pub fn mask_source<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.ranges.is_empty() {
            return Cow::Borrowed(text);
        }
        Cow::Owned(mask_ranges(text, self.ranges.clone()))
    }

    /// A string built from the text (a message, a help, a label): secrets found by pattern,
    /// and this text's secrets in any spelling, masked.
    pub fn mask<'a>(&self, derived: &'a str) -> Cow<'a, str> {
        let by_pattern = redact(derived);
        if self.secrets.is_empty() {
            return by_pattern;
        }
        let ranges = occurrences(&by_pattern, &self.secrets);
        if ranges.is_empty() {
            return by_pattern;
        }
        Cow::Owned(mask_ranges(&by_pattern, ranges))
    }
}

/// Letters and digits of `text`, lower-cased, and the byte range each came from.
fn squeeze(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut squeezed = String::new();
    let mut origins = Vec::new();
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            let lower = c.to_lowercase().next().unwrap_or(c);
            squeezed.push(lower);
            origins.extend(std::iter::repeat_n((i, i + c.len_utf8()), lower.len_utf8()));
        }
    }
    (squeezed, origins)
}

/// Byte ranges of `text` where one of `secrets` (squeezed) appears, squeezed too.
fn occurrences(text: &str, secrets: &[String]) -> Vec<(usize, usize)> {
    let (squeezed, origins) = squeeze(text);
    let mut ranges = Vec::new();
    for secret in secrets {
        for (at, _) in squeezed.match_indices(secret.as_str()) {
            let first = origins[at].0;
            let last = origins[at + secret.len() - 1].1;
            ranges.push((first, last));
        }
    }
    ranges
}

/// Most characters of a value an error message quotes.
const SHOWN_CHARS: usize = 60;

/// A value from a file or the command line as an error message shows it: secrets masked,
/// control characters escaped (no terminal escape sequences, one line), at most 60 characters.
/// A config that is really `/proc/self/environ` must not be printed by its own error.
pub fn shown(value: &str) -> String {
    let masked = redact(value);
    let mut out = String::new();
    for (count, c) in masked.chars().enumerate() {
        if count == SHOWN_CHARS {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Most characters of an error message built around such values.
const SHOWN_MESSAGE_CHARS: usize = 300;

/// An error message that may quote a file's content (a TOML parser's "invalid type: string
/// ..."), as printed: secrets masked, control characters escaped, at most 300 characters.
pub fn shown_message(message: &str) -> String {
    let masked = redact(message);
    let mut out = String::new();
    for (count, c) in masked.chars().enumerate() {
        if count == SHOWN_MESSAGE_CHARS {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules of the secrets that would be reported.
    fn kinds(text: &str) -> Vec<&'static str> {
        find_secrets(text)
            .into_iter()
            .filter(|f| f.reported)
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn finds_live_secrets_and_skips_placeholders() {
        let gh = format!("ghp_{}", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8");
        assert_eq!(
            kinds(&format!("export GITHUB_TOKEN={gh}")),
            vec!["github-token"]
        );
        assert_eq!(kinds("AKIAZ3MHQ7PLK2VXN4RT"), vec!["aws-access-key"]);
        assert!(kinds("AKIAIOSFODNN7EXAMPLE").is_empty());
        assert_eq!(
            kinds("postgres://app:Zq8vN2kLm4@db.prod.internal:5432/app"),
            vec!["url-password"]
        );
        assert!(kinds("postgres://postgres:postgres@localhost:5432/app").is_empty());
        assert!(kinds("postgres://user:$DB_PASSWORD@db.prod.internal/app").is_empty());
        assert!(kinds("postgres://user:<password>@db.prod.internal/app").is_empty());
        assert!(kinds("postgres://app:s3cret@db:5432/app").is_empty());
        assert!(kinds("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").is_empty());
        assert!(kinds("sk_live_****************************").is_empty());
        assert!(kinds("API_KEY=[secure-32-char-key] TOKEN=<token> PASS=changeme").is_empty());
        assert_eq!(
            kinds("log in with admin/admin"),
            vec!["default-credentials"]
        );
        assert!(kinds("see /admin/admin-users").is_empty());
        assert!(kinds("default credentials such as `admin/admin` are reported").is_empty());
    }

    #[test]
    fn prefilter_has_one_pattern_per_rule() {
        assert_eq!(PREFILTER.len(), REDACTED_RULES.len());
        // Clean text skips every rule; each rule's own example passes its prefilter.
        assert!(!PREFILTER.is_match("Run `pnpm build` and check the dashboards."));
        assert!(PREFILTER.matches("login as Admin / admin").matched(9));
        assert!(PREFILTER.matches("postgres://u:p@db.internal/x").matched(8));
    }

    #[test]
    fn redaction_keeps_length_and_hides_the_secret() {
        let key = format!("sk_live_{}", "51HxQ2eZvKYlo2C9aBcD7eFgH");
        let text = format!("STRIPE={key} done");
        let masked = redact(&text);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains(&key));
        assert!(masked.ends_with(" done"));
        assert!(matches!(redact("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn shown_values_are_masked_escaped_and_short() {
        assert_eq!(shown("a\u{1b}[2Jb\n"), "a\\u{1b}[2Jb\\n");
        let long = "x".repeat(100);
        assert_eq!(shown(&long).chars().count(), 63);
        let key = "AKIAQ7XK2MZP4LNB8WRT";
        assert!(!shown(&format!("value {key}")).contains(key));
    }
}
