//! Secret masking: the credential patterns `hardcoded-secret` reports, and the masking
//! ([`redact`], [`Masker`]) the engine applies to every text and message a report prints, so no
//! output format shows a secret found in a runbook (not in messages, not in source excerpts,
//! not in JSON). Values quoted in error messages go through [`shown`] for the same reason.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// One masking rule: a kind of secret and its pattern, from `rules/secrets.toml`. The capture
/// group `secret` (or the whole match) is what gets masked.
#[derive(Debug)]
pub struct RedactionRule {
    /// Stable id (`github-token`).
    pub id: String,
    /// What the finding calls it ("a GitHub token").
    pub kind: String,
    /// Literal text (any case), one of which must be in a text for the pattern to run.
    pub keywords: Vec<String>,
    /// The pattern.
    pub regex: Regex,
    /// Characters of the token itself: a match with one of them right before or after it is
    /// part of a longer word, not a token. Checked in code rather than with `\b`, so a key
    /// glued to other text (`AKIA..._VAR`) is still one.
    token_char: Option<fn(char) -> bool>,
    /// Least Shannon entropy (bits per character) of a real secret of this kind.
    entropy: Option<f64>,
}

fn upper_or_digit(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

fn alphanumeric(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// `rules/secrets.toml` as written.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    secret: Vec<CatalogueEntry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueEntry {
    id: String,
    kind: String,
    keywords: Vec<String>,
    regex: String,
    token: String,
    entropy: Option<f64>,
}

/// The secret catalogue, parsed and compiled (a bad entry is a bug: unit-tested).
fn catalogue(text: &str) -> Result<Vec<RedactionRule>, String> {
    let catalogue: Catalogue = toml::from_str(text).map_err(|e| e.to_string())?;
    catalogue
        .secret
        .into_iter()
        .map(|entry| {
            let token_char: Option<fn(char) -> bool> = match entry.token.as_str() {
                "upper-digit" => Some(upper_or_digit),
                "alnum" => Some(alphanumeric),
                "token" => Some(token_char),
                "none" => None,
                other => return Err(format!("{}: unknown token class `{other}`", entry.id)),
            };
            if entry.keywords.is_empty() {
                return Err(format!("{}: no keywords", entry.id));
            }
            let regex = Regex::new(&entry.regex).map_err(|e| format!("{}: {e}", entry.id))?;
            Ok(RedactionRule {
                id: entry.id,
                kind: entry.kind,
                keywords: entry.keywords,
                regex,
                token_char,
                entropy: entry.entropy,
            })
        })
        .collect()
}

/// Every masking rule, for all output formats: use [`redact`] on any text that is printed.
pub static REDACTED_RULES: LazyLock<Vec<RedactionRule>> = LazyLock::new(|| {
    catalogue(include_str!("../rules/secrets.toml"))
        .expect("rules/secrets.toml is valid (unit-tested)")
});

/// Shannon entropy of `text`, in bits per character.
fn entropy(text: &str) -> f64 {
    let mut counts: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    let mut total = 0usize;
    for c in text.chars() {
        *counts.entry(c).or_default() += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    counts
        .values()
        .map(|&n| {
            let p = n as f64 / total as f64;
            -p * p.log2()
        })
        .sum()
}

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
    "insecure",
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
    // `SK0000...`, `AIzaAAAA...`: too regular to be a real key.
    if rule.entropy.is_some_and(|least| entropy(secret) < least) {
        return Verdict::Template;
    }
    if matches!(rule.id.as_str(), "assigned-secret" | "cli-password") && !looks_generated(secret) {
        return Verdict::Template;
    }
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
        if host.ends_with("example.com")
            || host.ends_with("example.net")
            || host.ends_with("example.org")
            || host.ends_with(".example")
            || host.ends_with(".local")
        {
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

/// True for a value a machine made, not a name: digits or mixed case among its letters, no
/// path or URL, and not dotted words (`config.secret_key`).
fn looks_generated(value: &str) -> bool {
    let letters = value.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let digits = value.chars().filter(|c| c.is_ascii_digit()).count();
    let mixed_case = value.chars().any(|c| c.is_ascii_uppercase())
        && value.chars().any(|c| c.is_ascii_lowercase());
    letters > 0
        && (digits > 0 || mixed_case)
        && !value.starts_with(['/', '.', '~'])
        && !value.contains("..")
        && !value.split('.').all(|part| {
            part.chars()
                .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-')
        })
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
    text.get(from..start)
        .is_some_and(|before| EXAMPLE_CUE.is_match(before))
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

/// One cheap pattern per rule of [`REDACTED_RULES`] (same order): its keywords, any case, so
/// a rule whose keywords are absent cannot match either. One pass over the text decides which
/// full patterns (with captures) are worth running; nearly every text is clean, and this runs
/// on every file and every message.
static PREFILTER: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSet::new(REDACTED_RULES.iter().map(|rule| {
        let words: Vec<String> = rule.keywords.iter().map(|k| regex::escape(k)).collect();
        format!("(?i){}", words.join("|"))
    }))
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
    let rules: &'static [RedactionRule] = &REDACTED_RULES;
    for (index, rule) in rules.iter().enumerate() {
        if !candidates.matched(index) {
            continue;
        }
        // A value a specific pattern already found is not found again as a generic one.
        let generic = matches!(rule.id.as_str(), "assigned-secret" | "cli-password");
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
            if generic
                && found
                    .iter()
                    .any(|f: &FoundSecret| f.start < end && start < f.end)
            {
                continue;
            }
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
                rule: &rule.id,
                kind: &rule.kind,
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
        Masker::from_found(text, &find_secrets(text))
    }

    /// The masker of `text` whose secrets [`find_secrets`] already found.
    pub fn from_found(text: &str, found: &[FoundSecret]) -> Masker {
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
    printable(value, SHOWN_CHARS)
}

/// Most characters of an error message built around such values.
const SHOWN_MESSAGE_CHARS: usize = 300;

/// An error message that may quote a file's content (a TOML parser's "invalid type: string
/// ..."), as printed: secrets masked, control characters escaped, at most 300 characters.
pub fn shown_message(message: &str) -> String {
    printable(message, SHOWN_MESSAGE_CHARS)
}

/// `text` with its secrets masked and control characters escaped, cut at `limit` characters.
fn printable(text: &str, limit: usize) -> String {
    let masked = redact(text);
    let mut out = String::new();
    for (count, c) in masked.chars().enumerate() {
        if count == limit {
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
        let index = |id: &str| REDACTED_RULES.iter().position(|r| r.id == id).unwrap();
        // Clean text skips every rule; each rule's own example passes its prefilter.
        assert!(!PREFILTER.is_match("Run `pnpm build` and check the dashboards."));
        assert!(PREFILTER
            .matches("login as Admin / admin")
            .matched(index("default-credentials")));
        assert!(PREFILTER
            .matches("postgres://u:p@db.internal/x")
            .matched(index("url-password")));
    }

    #[test]
    fn catalogue_entries_are_valid_and_unique() {
        let rules = catalogue(include_str!("../rules/secrets.toml")).unwrap();
        let mut ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "duplicate secret id");
        assert!(count >= 50, "{count} formats");
        assert!(
            catalogue("[[secret]]\nid='x'\nkind='k'\nkeywords=[]\nregex='a'\ntoken='none'\n")
                .is_err()
        );
        assert!(catalogue(
            "[[secret]]\nid='x'\nkind='k'\nkeywords=['a']\nregex='('\ntoken='none'\n"
        )
        .is_err());
    }

    #[test]
    fn well_known_token_formats() {
        // Built from parts, so no file of the repository holds a whole token.
        let hex = |n: usize| "9f3a7c1e5b2d8046".repeat(8)[..n].to_string();
        let mixed = |n: usize| "Zq8vN2kLm4pQx7Rt3Wy6Bj1Hd5Fg0Sc9".repeat(8)[..n].to_string();
        let cases = [
            (
                format!(
                    "https://discord.com/api/webhooks/123456789012345678/{}",
                    mixed(68)
                ),
                "discord-webhook",
            ),
            (
                format!(
                    "https://acme.webhook.office.com/webhookb2/{}@{}/IncomingWebhook/{}",
                    hex(36),
                    hex(36),
                    hex(32)
                ),
                "teams-webhook",
            ),
            (
                format!("SENDGRID=SG.{}.{}", mixed(22), mixed(43)),
                "sendgrid-key",
            ),
            (format!("key-{}", hex(32)), "mailgun-key"),
            (format!("{}-us12", hex(32)), "mailchimp-key"),
            (format!("SK{}", hex(32)), "twilio-key"),
            (
                format!("//registry.npmjs.org/:_authToken=npm_{}", mixed(36)),
                "npm-token",
            ),
            (format!("pypi-AgEIcHlwaS5vcmc{}", mixed(60)), "pypi-token"),
            (format!("dckr_pat_{}", mixed(27)), "dockerhub-token"),
            (format!("AIza{}", mixed(35)), "gcp-api-key"),
            (format!("dop_v1_{}", hex(64)), "digitalocean-token"),
            (
                format!("sk-proj-{}T3BlbkFJ{}", mixed(40), mixed(40)),
                "openai-key",
            ),
            (format!("sk-ant-api03-{}", mixed(93)), "anthropic-key"),
            (
                format!("hf_{}", "ZqvNkLmpQxRtWyBjHdFgScZqvNkLmpQxRt"),
                "huggingface-token",
            ),
            (format!("rk_live_{}", mixed(24)), "stripe-live-key"),
            (format!("whsec_{}", mixed(32)), "stripe-webhook-secret"),
            (format!("sq0atp-{}", mixed(22)), "square-token"),
            (format!("shpat_{}", hex(32)), "shopify-token"),
            (format!("glsa_{}_{}", mixed(32), hex(8)), "grafana-token"),
            (
                format!("https://deploy:{}@registry.acme-corp.io/v2", mixed(20)),
                "url-password",
            ),
            (
                format!(
                    "docker login -u deploy -p {} registry.acme-corp.io",
                    mixed(24)
                ),
                "cli-password",
            ),
            (format!("JWT_SECRET={}", mixed(32)), "assigned-secret"),
            (format!("api_key: \"{}\"", mixed(24)), "assigned-secret"),
        ];
        for (text, rule) in &cases {
            assert_eq!(kinds(text), vec![*rule], "{text}");
            assert!(!redact(text).contains(&mixed(16)), "{text} is masked");
        }
    }

    #[test]
    fn dummies_names_and_placeholders_are_not_secrets() {
        for text in [
            "SK00000000000000000000000000000000",
            "JWT_SECRET=your-super-secret-jwt-key-change-me",
            "SECRET_KEY=django-insecure-9f3a7c1e5b2d80469f3a7c1e",
            "SESSION_SECRET=$(openssl rand -hex 32)",
            "API_KEY=${{ secrets.API_KEY }}",
            "MONKEY=Zq8vN2kLm4pQx7Rt3Wy6",
            "PRIVATE_KEY_PATH=/etc/ssl/private/server.key",
            "token: config.auth.token_value",
            "PASSWORD=correcthorsebatterystaple",
            "sk_test_Zq8vN2kLm4pQx7Rt3Wy6Bj1Hd5",
            "docker run -p 5432:5432 postgres",
            "kubectl port-forward -p production svc/db 5432",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
        // A key found by its own pattern is not found again as an assigned one.
        let live = format!("STRIPE_SECRET_KEY=sk_live_{}", "Zq8vN2kLm4pQx7Rt3Wy6Bj1H");
        assert_eq!(kinds(&live), vec!["stripe-live-key"]);
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
