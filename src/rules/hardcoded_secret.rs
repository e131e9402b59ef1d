//! `hardcoded-secret`: live credentials written in a runbook. The patterns, and the masking
//! every output applies, are [`crate::redact`].

use super::Cx;
use crate::redact::find_secrets;
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Finds credentials written into a runbook, with high-confidence patterns only: AWS access
    /// key ids, GitHub and GitLab tokens, Slack tokens and webhooks, Stripe live keys, private
    /// key blocks (block-quoted, or on one line with `\n` escapes, too), JWTs, passwords in
    /// connection URLs (`postgres://user:pw@db.example.com`, `redis://:pw@cache.internal`) and
    /// default credentials given as the ones to use, such as `admin/admin`. A key glued to other text
    /// (`AKIA..._VAR`) is still a key.
    ///
    /// Placeholders are not reported: `<token>`, `$TOKEN`, `${TOKEN}`, `xxx`, `****`,
    /// `[secure-32-char-key]`, `changeme`, `your-...`, values made of little but words like
    /// `secret`, `test` or `here`, AWS's documented `...EXAMPLE` keys, and connection URLs to
    /// `localhost` or a compose service (`@db:5432`).
    ///
    /// Nothing credential-shaped is ever printed, reported or not: messages name only the
    /// secret's kind, and every output format masks it in source excerpts, messages and help
    /// (see `REDACTED_RULES` and `Masker`).
    ///
    /// ## Why is this bad?
    /// A runbook is read by many people and copied into tickets and chats; a live credential in
    /// it is leaked, and must be rotated.
    ///
    /// ## Example
    /// ```bash
    /// export STRIPE_SECRET_KEY=sk_live_51H...   # a real key
    /// ```
    ///
    /// Use instead:
    /// ```bash
    /// export STRIPE_SECRET_KEY="$(op read op://prod/stripe/secret-key)"
    /// ```
    pub struct HardcodedSecret {
        id: "hardcoded-secret",
        severity: Error,
        summary: "a live credential (token, key, password) written in a runbook",
    }
}

impl HardcodedSecret {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let doc = cx.doc;
        for secret in find_secrets(cx.source).into_iter().filter(|s| s.reported) {
            let span = Span::new(secret.start, secret.end);
            let section = doc.section_at(secret.start);
            // Development defaults such as `admin/admin` in a local section are expected.
            if secret.rule == "default-credentials"
                && doc.context(section) == crate::document::EnvContext::Development
            {
                continue;
            }
            cx.report(span, format!("{} written in the runbook", secret.kind))
                .label("masked in every output")
                .help(
                    "rotate it now, and reference it instead (`$NAME`, a secret manager path, `<token>`)",
                );
        }
    }
}
