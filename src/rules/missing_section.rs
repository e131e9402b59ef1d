use std::sync::LazyLock;

use regex::Regex;

use super::safety::{deploy_steps, is_production_step, migration_steps, runs};
use super::Cx;
use crate::document::{context, EnvContext};
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Checks that a runbook with deployment or migration steps has the sections it needs.
    /// By default: a rollback section (a heading with "rollback", "roll back", "revert",
    /// "recovery", "restore", "downgrade", ...). A runbook has deployment steps when it runs a
    /// deploy or release command outside development, staging and rollback sections, whatever
    /// its headings say (`fly deploy`, `vercel --prod`, `kubectl apply`, `helm upgrade`,
    /// `git push heroku`, `gcloud run deploy`, `terraform apply`, `gh workflow run release`;
    /// `rules/deploy-steps.toml`), when a section whose heading says production and deploying,
    /// releasing or migrating has a command that ships (`deploy`, `apply`, `upgrade`, `push`,
    /// `--prod`), or when it runs a migration command outside development and rollback
    /// sections. Install guides and other documents are not checked.
    ///
    /// A link to another document about it (`[rollback procedures](rollback.md)`) counts as
    /// the section.
    ///
    /// `required-sections = ["rollback|revert", "contacts|escalation"]` in the config replaces
    /// the default: each entry lists heading words, any of which satisfies it.
    ///
    /// ## Why is this bad?
    /// A deployment that goes wrong at 3 a.m. needs the way back written down before it starts;
    /// improvising a rollback under pressure is how an incident becomes an outage.
    ///
    /// ## Example
    /// ```markdown
    /// # Release 2.4
    /// ## Deploy
    /// `pnpm db:deploy && pnpm deploy`
    /// ```
    ///
    /// ```markdown
    /// # Shipping the web app
    /// 1. `fly deploy --remote-only`
    /// ```
    ///
    /// Use instead: add `## Rollback` with the steps that undo the deploy.
    pub struct MissingSection {
        id: "missing-section",
        severity: Warning,
        summary: "a deployment or migration runbook without a rollback (or configured) section",
        options: MissingSectionOptions,
    }
}

/// Options of `missing-section`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MissingSectionOptions {
    /// Sections a deployment or migration runbook must have: each entry lists heading words
    /// separated by `|`, any of which satisfies it. `None`: a rollback section.
    pub required_sections: Option<Vec<String>>,
}

impl super::RuleOptions for MissingSectionOptions {
    const DOCS: &'static str = "- `required-sections` (default: a rollback section): the sections a deployment or migration runbook must have, each a list of heading words separated by `|` (`[\"rollback|revert\", \"contacts|escalation\"]`). Also read as a top-level key of the config.";
}

static DEPLOY_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(deploy|deploying|deployment|deployments|release|releasing|rollout|roll out|migrations?|migrating|go-live|cutover)\b")
        .expect("deploy heading regex")
});

/// A command word that ships something (`fly deploy`, `helm upgrade`, `vercel --prod`).
static DEPLOY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)deploy|release|rollout|publish|^(apply|upgrade|up|push|promote)$|^--prod(uction)?$",
    )
    .expect("deploy word regex")
});

/// True for a command word that ships (`deploy`, `--prod`), not a variable that only names
/// a release (`NPM_PUBLISH_TOKEN`, `RELEASE_CHANNEL=stable`).
fn is_deploy_word(word: &str) -> bool {
    let variable = word.contains('=')
        || (word.chars().any(|c| c.is_ascii_uppercase())
            && !word.chars().any(|c| c.is_ascii_lowercase()));
    !variable && DEPLOY_WORD.is_match(word)
}

const DEFAULT_REQUIRED: &str = "rollback|roll back|rolling back|revert|reverting|recovery|recover|restore|restoring|downgrade|undo|back out|backout|disaster|fails|failure|abort";

impl MissingSection {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let doc = cx.doc;
        let deploys = doc.commands.iter().any(|c| {
            // Steps on a laptop or in a rollback do not make a deployment runbook.
            let context = cx.effective_context(c.context);
            if matches!(context, EnvContext::Development | EnvContext::Rollback) {
                return false;
            }
            // Install guides ship nothing: a deploy command counts only under a heading that
            // says production; a migration counts in production and unknown sections.
            // The cheap tests first: the pack search runs only where its answer matters.
            match c.context {
                EnvContext::Production => {
                    (c.words.iter().any(|w| is_deploy_word(&w.text))
                        && doc
                            .ancestry(c.section)
                            .any(|s| DEPLOY_HEADING.is_match(&s.title)))
                        || runs(cx, deploy_steps(), c).is_some()
                        || runs(cx, migration_steps(), c).is_some()
                }
                // A deployment guide is one whatever its headings say: it ships (`fly
                // deploy`, `helm upgrade`, `git push heroku`, a release workflow). A migration
                // there counts when the document is an operational runbook.
                EnvContext::Unknown => {
                    runs(cx, deploy_steps(), c).is_some()
                        || (is_production_step(cx, c)
                            && runs(cx, migration_steps(), c).is_some())
                }
                _ => false,
            }
        });
        if !deploys {
            return;
        }
        let default = vec![DEFAULT_REQUIRED.to_string()];
        let required = self.options.required_sections.as_ref().unwrap_or(&default);
        let headings: Vec<Vec<String>> = doc
            .sections
            .iter()
            .skip(1)
            .map(|s| context::heading_words(&s.title))
            .collect();
        let anchor = doc
            .sections
            .get(1)
            .map(|s| s.span)
            .unwrap_or(Span::new(0, 0));
        let link_texts: Vec<String> = doc
            .links
            .iter()
            .map(|link| format!("{} {}", link.dest, cx.text(link.span)).to_lowercase())
            .collect();
        for requirement in required {
            let words: Vec<&str> = requirement
                .split('|')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect();
            // Lower-cased once per requirement, not per heading and link.
            let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
            let present = headings
                .iter()
                .any(|h| lower.iter().any(|w| context::contains_phrase(h, w)));
            // A runbook may keep its rollback in another document and link to it.
            let linked = || {
                link_texts
                    .iter()
                    .any(|text| lower.iter().any(|w| text.contains(w.as_str())))
            };
            if present || linked() {
                continue;
            }
            let name = words.first().copied().unwrap_or("required");
            cx.report(
                anchor,
                format!("runbook has deployment or migration steps but no `{name}` section"),
            )
            .help(format!("add a section whose heading mentions {}", {
                let shown: Vec<String> = words.iter().take(4).map(|w| format!("`{w}`")).collect();
                let more = if words.len() > 4 { ", ..." } else { "" };
                format!("{}{more}", shown.join(", "))
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, project};

    #[test]
    fn deploy_runbooks_need_a_rollback_section() {
        let facts = project(&[], &[]);
        let bare = "# Release\n\n## Deploy to production\n\n```bash\nfly deploy\n```\n";
        assert_eq!(check(&MissingSection::default(), bare, &facts).len(), 1);
        let with = format!("{bare}\n## Rolling back\n\n`fly releases rollback`\n");
        assert!(check(&MissingSection::default(), &with, &facts).is_empty());
        let linked = format!("{bare}\nIf it fails, see [the rollback runbook](rollback.md).\n");
        assert!(check(&MissingSection::default(), &linked, &facts).is_empty());
        let other = "# Incident: API down\n\n## Diagnose\n\n`kubectl get pods`\n";
        assert!(check(&MissingSection::default(), other, &facts).is_empty());
        // A deployment guide whose headings never say production.
        let guide = "# Shipping the web app\n\n1. Build.\n2. `fly deploy --remote-only`\n";
        assert_eq!(check(&MissingSection::default(), guide, &facts).len(), 1);
        let local = "# Web app\n\n## Getting started\n\n`kubectl apply -f k8s/dev`\n";
        assert!(check(&MissingSection::default(), local, &facts).is_empty());
        // Setting a secret whose name says publish ships nothing.
        let secret = "# Release\n\n## Secrets\n\n```bash\ngh secret set NPM_PUBLISH_TOKEN --env production\n```\n";
        assert!(check(&MissingSection::default(), secret, &facts).is_empty());
    }
}
