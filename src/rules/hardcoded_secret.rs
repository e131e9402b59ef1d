//! `hardcoded-secret`: live credentials written in a runbook. The patterns, and the masking
//! every output applies, are [`crate::redact`].

use super::Cx;
use crate::redact::find_secrets;
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Finds credentials written into a runbook, with high-confidence patterns only: AWS access
    /// key ids, GitHub and GitLab tokens, Slack tokens and webhooks, Stripe live keys, private
    /// key blocks, JWTs, passwords in connection URLs (`postgres://user:pw@db.example.com`) and
    /// default credentials given as the ones to use (`admin/admin`).
    ///
    /// Placeholders are not secrets: `<token>`, `$TOKEN`, `${TOKEN}`, `xxx`, `****`,
    /// `[secure-32-char-key]`, `changeme`, `your-...`, AWS's documented `...EXAMPLE` keys, and
    /// connection URLs to `localhost`.
    ///
    /// The secret itself is never printed: messages name only its kind, and every output
    /// format masks it in source excerpts (see `REDACTED_RULES`).
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
        for secret in find_secrets(cx.source) {
            let span = Span::new(secret.start, secret.end);
            let section = cx
                .doc
                .sections
                .iter()
                .rposition(|s| s.span.start <= secret.start)
                .unwrap_or(0);
            // Development defaults such as `admin/admin` in a local section are expected.
            if secret.rule == "default-credentials"
                && cx.doc.context(section) == crate::document::EnvContext::Development
            {
                continue;
            }
            cx.report(span, format!("{} written in the runbook", secret.kind)).label("masked in every output").help(
                    "rotate it now, and reference it instead (`$NAME`, a secret manager path, `<token>`)",
                );
        }
    }
}
