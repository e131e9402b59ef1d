//! Secret masking: the credential patterns `hardcoded-secret` reports, and [`redact`], which
//! the engine applies to every text and message a report prints, so no output format shows a
//! secret found in a runbook (not in messages, not in source excerpts, not in JSON).

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
}

fn rule(id: &'static str, kind: &'static str, pattern: &str) -> RedactionRule {
    RedactionRule {
        id,
        kind,
        regex: Regex::new(pattern).expect("redaction regex"),
    }
}

/// Every masking rule, for all output formats: use [`redact`] on any text that is printed.
pub static REDACTED_RULES: LazyLock<Vec<RedactionRule>> = LazyLock::new(|| {
    vec![
        rule(
            "aws-access-key",
            "an AWS access key id",
            r"\b(?P<secret>(?:AKIA|ASIA)[0-9A-Z]{16})\b",
        ),
        rule(
            "github-token",
            "a GitHub token",
            r"\b(?P<secret>gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b",
        ),
        rule(
            "gitlab-token",
            "a GitLab token",
            r"\b(?P<secret>glpat-[A-Za-z0-9_-]{20,})",
        ),
        rule(
            "slack-token",
            "a Slack token",
            r"\b(?P<secret>xox[abposr]-[A-Za-z0-9-]{10,})",
        ),
        rule(
            "slack-webhook",
            "a Slack webhook URL",
            r"https://hooks\.slack\.com/services/(?P<secret>T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{16,})",
        ),
        rule(
            "stripe-live-key",
            "a Stripe live key",
            r"\b(?P<secret>(?:sk|rk)_live_[A-Za-z0-9]{20,})",
        ),
        rule(
            "private-key",
            "a private key",
            r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----\s*(?P<secret>[A-Za-z0-9+/=\s]{64,}?)\s*-----END",
        ),
        rule(
            "jwt",
            "a JSON Web Token",
            r"\b(?P<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})",
        ),
        rule(
            "url-password",
            "a password in a connection URL",
            r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@<>\[\]{}$]+:(?P<secret>[^\s@/<>\[\]{}$'`]{4,})@(?P<host>[^\s/:?#`'\x22]+)",
        ),
        rule(
            "default-credentials",
            "default credentials",
            r"(?i)(?:^|[\s`\x22'(:])(?P<secret>(?:admin|root)\s?/\s?(?:admin|root|password|123456|admin123))(?:$|[\s`\x22').,;])",
        ),
    ]
});

/// Words that make a candidate a placeholder, not a secret.
const PLACEHOLDER_MARKERS: &[&str] = &[
    "example",
    "xxxx",
    "****",
    "changeme",
    "change-me",
    "change_me",
    "your",
    "placeholder",
    "dummy",
    "fake",
    "sample",
    "redacted",
    "secret",
    "password",
    "token",
    "...",
    "…",
    "<",
    ">",
    "$",
    "{",
    "}",
    "[",
    "]",
    "123456",
    "abcdef",
    "0000000",
    "1111111",
    "test",
    "here",
];

/// Hosts whose connection-URL passwords are throwaway defaults.
const LOCAL_HOSTS: &[&str] = &[
    "localhost",
    "127.0.0.1",
    "0.0.0.0",
    "host.docker.internal",
    "::1",
];

fn is_placeholder(rule: &RedactionRule, secret: &str, host: Option<&str>) -> bool {
    if rule.id == "default-credentials" {
        return false;
    }
    let lower = secret.to_ascii_lowercase();
    if PLACEHOLDER_MARKERS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    // One repeated character (`aaaaaaaa`) is a placeholder.
    let mut chars = lower.chars().filter(|c| c.is_ascii_alphanumeric());
    if let Some(first) = chars.next() {
        if chars.all(|c| c == first) {
            return true;
        }
    }
    if rule.id == "url-password" {
        let host = host.unwrap_or("").to_ascii_lowercase();
        // A compose service name (`@db:5432`, `@postgres`) or localhost: a development default.
        if LOCAL_HOSTS.contains(&host.as_str()) || !host.contains('.') {
            return true;
        }
        if host.ends_with("example.com") || host.ends_with(".example") || host.ends_with(".local") {
            return true;
        }
        // `user:pass@`, `postgres:postgres@`: the words of a tutorial.
        if matches!(
            lower.as_str(),
            "pass" | "pw" | "pwd" | "postgres" | "root" | "admin" | "mysql" | "user" | "guest"
        ) {
            return true;
        }
    }
    false
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

/// Every secret in `text` that is not a placeholder.
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
            let host = caps.name("host").map(|m| m.as_str());
            if is_placeholder(rule, secret.as_str(), host) {
                continue;
            }
            found.push(FoundSecret {
                rule: rule.id,
                kind: rule.kind,
                start: secret.start(),
                end: secret.end(),
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
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for secret in found {
        if secret.start < last {
            continue;
        }
        out.push_str(&text[last..secret.start]);
        for c in text[secret.start..secret.end].chars() {
            if c == '\n' || c == '\r' {
                out.push(c);
            } else {
                out.extend(std::iter::repeat_n('*', c.len_utf8()));
            }
        }
        last = secret.end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<&'static str> {
        find_secrets(text).into_iter().map(|f| f.rule).collect()
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
}
