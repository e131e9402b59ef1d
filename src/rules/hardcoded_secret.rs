//! `hardcoded-secret`: live credentials written in a runbook. The patterns, and the masking
//! every output applies, are [`crate::redact`].

use super::Cx;
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Finds credentials written into a runbook, from a catalogue of the formats a secret
    /// scanner knows (`rules/secrets.toml`, learned from gitleaks' default rules):
    ///
    /// - cloud providers: AWS access key ids, Google Cloud API keys, Azure storage keys and AD
    ///   client secrets, DigitalOcean, Alibaba, Fly.io, Heroku, Vault, Terraform Cloud, Doppler,
    ///   Cloudflare, Databricks, PlanetScale and Pulumi tokens;
    /// - code hosting and package registries: GitHub and GitLab tokens, npm, PyPI, RubyGems,
    ///   NuGet and Docker Hub tokens;
    /// - chat webhooks and tokens: Slack tokens and webhooks, Discord, Microsoft Teams and
    ///   Google Chat webhook URLs, Telegram bot tokens;
    /// - mail and SMS: SendGrid, Mailgun, Mailchimp, Brevo, Twilio keys;
    /// - AI providers: OpenAI, Anthropic, Hugging Face, Groq, Perplexity, Replicate, xAI keys;
    /// - payments and commerce: Stripe live and restricted keys and webhook secrets, Square,
    ///   Braintree, Shopify tokens;
    /// - operations tools: Grafana, New Relic, Sentry, Linear, Postman, 1Password, age keys;
    /// - private key blocks (block-quoted, or on one line with `\n` escapes, too), JWTs,
    ///   passwords in connection URLs and Basic auth in URLs (`postgres://user:pw@db.example.com`,
    ///   `https://deploy:pw@registry.example.net`), default credentials given as the ones to use,
    ///   such as `admin/admin`;
    /// - a long random value assigned to a name ending in `KEY`, `TOKEN`, `SECRET` or
    ///   `PASSWORD` (`JWT_SECRET=...`, `api_key: ...`), whatever the service.
    ///
    /// A key glued to other text (`AKIA..._VAR`) is still a key.
    ///
    /// Placeholders are not reported: `<token>`, `$TOKEN`, `${TOKEN}`, `xxx`, `****`,
    /// `[secure-32-char-key]`, `changeme`, `your-...`, `django-insecure-...`, values made of
    /// little but words like `secret`, `test` or `here`, values too regular to be random
    /// (`SK0000...`), AWS's documented `...EXAMPLE` keys, and connection URLs to `localhost`
    /// or a compose service (`@db:5432`). Default credentials and generic assigned values in a
    /// development section are expected there.
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
    /// curl -X POST https://discord.com/api/webhooks/1234/AbC...   # a real webhook
    /// JWT_SECRET=8fK2mQ9xLp4vR7tZ3wN6bY1cH5dG0sJ   # any random value
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
        for secret in doc.secrets(cx.source).iter().filter(|s| s.reported) {
            let span = Span::new(secret.start, secret.end);
            let section = doc.section_at(secret.start);
            // Development defaults (`admin/admin`, a local `SECRET_KEY=...`) in a local section
            // are expected.
            if matches!(
                secret.rule,
                "default-credentials" | "assigned-secret" | "cli-password"
            )
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
