use std::collections::BTreeSet;

use super::{Cx, RuleContext};
use crate::command::{FileRole, Word, WorkDir};
use crate::diagnostic::did_you_mean_text;
use crate::document::Command;
use crate::fix::{closest, replacement_fix, Fix};

declare_rule! {
    /// ## What it does
    /// Checks that the repository files a command runs or reads exist: `./x.sh`,
    /// `bash|sh|zsh x`, `node|python|python3|ruby|ts-node|tsx x`, `chmod +x x`, `source x`,
    /// the `-f` file of `docker compose`, `docker build` and `kubectl apply`, the source of
    /// `cp .env.example .env`, and `--env-file x`. Paths are taken from the command's `cd`
    /// directory; without one, from the runbook's directory or the repository root.
    ///
    /// Not checked: absolute and home paths, URLs, placeholders (`<file>`, `$DIR/x`, globs),
    /// paths leaving the repository, paths the repository ignores or generates (`dist/`,
    /// `.env`), and paths the runbook itself creates (`mkdir`, `git clone`, `> out`, `cp a b`,
    /// `curl -o x`...).
    ///
    /// ## Why is this bad?
    /// Scripts get deleted or moved and runbooks keep calling them:
    /// `./scripts/pre-deploy-check.sh: No such file or directory`, mid-deploy, with nobody sure
    /// whether the step still matters.
    ///
    /// ## Example
    /// ```markdown
    /// ./scripts/pre-deployment-validation.sh
    /// ```
    ///
    /// Use instead (the script that exists), or delete the step:
    /// ```markdown
    /// ./scripts/validate.sh
    /// ```
    pub struct MissingFile {
        id: "missing-file",
        severity: Error,
        summary: "a repository file a command runs or reads does not exist",
    }
}

impl MissingFile {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        if cx.project.files.is_empty() {
            return;
        }
        let mut created = created_paths(&cx.doc.commands);
        created.extend(shown_files(cx));
        // Every directory the runbook `cd`s into: a later inline `./run.sh` often runs there.
        let cd_dirs: Vec<String> = cx
            .doc
            .commands
            .iter()
            .filter_map(|c| c.cd_target())
            .filter_map(|w| crate::paths::join("", &w.text))
            .filter(|d| !d.is_empty() && cx.project.has_dir(d))
            .collect();
        for command in &cx.doc.commands {
            let candidates = file_words(command);
            if candidates.is_empty() {
                continue;
            }
            // Without a `cd`, a path may be written from the runbook's directory or the root.
            let mut bases = cx.command_bases(command);
            if bases.is_empty() {
                continue;
            }
            if command.cwd == WorkDir::Default {
                bases.extend(cd_dirs.iter().cloned());
            }
            for word in candidates {
                let path = word.text.as_str();
                if !checkable(path) || is_created(path, &created) {
                    continue;
                }
                // A bare `manage.py` or `./run.sh` that exists elsewhere is run from there.
                let bare = path.strip_prefix("./").unwrap_or(path);
                if !bare.contains('/') && cx.project.files_by_name().contains_key(bare) {
                    continue;
                }
                let resolved: Vec<String> = bases
                    .iter()
                    .filter_map(|b| crate::paths::join(b, path))
                    .collect();
                if resolved.is_empty()
                    || resolved.iter().any(|p| {
                        p.is_empty()
                            || cx.project.has_file(p)
                            || cx.project.has_dir(p)
                            || cx.project.ignored.is_ignored(p)
                    })
                {
                    continue;
                }
                let name = path.rsplit('/').next().unwrap_or(path);
                let siblings = cx.project.files_by_name().keys().map(String::as_str);
                let help = match did_you_mean_text(name, siblings) {
                    Some(hint) => format!("{hint}; the path is relative to `{}`", display_dir(&resolved[0])),
                    None => format!(
                        "no such file in the repository (looked for `{}`); fix the path or remove the step",
                        resolved.join("` and `")
                    ),
                };
                let fix = renamed_fix(cx.file(), word, &resolved);
                cx.report(word.span, format!("file `{path}` does not exist"))
                    .label("not in the repository")
                    .help(help)
                    .fix(fix);
            }
        }
    }
}

/// The did-you-mean name in the same directory, when that file exists there.
fn renamed_fix(cx: &RuleContext<'_>, word: &Word, resolved: &[String]) -> Option<Fix> {
    let path = word.text.as_str();
    let (dir, name) = match path.rsplit_once('/') {
        Some((dir, name)) => (Some(dir), name),
        None => (None, path),
    };
    // The first reading of the path whose directory exists.
    let resolved_dir = resolved
        .iter()
        .map(|p| p.rsplit_once('/').map(|(dir, _)| dir).unwrap_or(""))
        .find(|dir| cx.project.has_dir(dir))?;
    // Names of the files in the directory the path points into (from the index: a scan of
    // every repository file per finding was quadratic).
    let siblings = cx.project.files_in_dir(resolved_dir);
    let (new_name, applicability) = closest(name, siblings)?;
    let replacement = match dir {
        Some(dir) => format!("{dir}/{new_name}"),
        None => new_name.to_string(),
    };
    replacement_fix(cx.source, word.span, path, &replacement, applicability)
}

fn display_dir(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some((dir, _)) => dir,
        None => "the repository root",
    }
}

/// True for a path worth checking: relative, literal, inside the repository.
fn checkable(path: &str) -> bool {
    !path.is_empty()
        && path != "-"
        && path != "."
        && !path.starts_with(['/', '~', '-', '@', ':'])
        && !path.contains([
            '$', '<', '>', '{', '}', '*', '?', '[', ']', '%', '`', '(', '|', '\\', '=',
        ])
        && !path.contains("://")
        && !path.contains("...")
        && !is_private_env(path)
}

/// A real env file (`.env`, `.env.production`, `prod.env`): created by the operator and never
/// committed.
fn is_private_env(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    (name.starts_with(".env") || name.ends_with(".env"))
        && !crate::facts::env::is_env_template(name)
}

/// The words of a command that name files it runs or reads here (not in a container or on
/// another host), real env files left out.
fn file_words(command: &Command) -> Vec<&Word> {
    command
        .invocations
        .iter()
        .filter(|i| i.is_local())
        .flat_map(|i| &i.files_read)
        .filter(|f| f.role != FileRole::EnvFile || !is_private_env(&f.word.text))
        .map(|f| &f.word)
        .collect()
}

/// Paths the runbook creates somewhere: redirect targets, `mkdir`/`touch` arguments, the
/// destination of `cp`/`mv`/`ln`/`git clone`, `-o`/`--output` values, and archives unpacked.
fn created_paths(commands: &[Command]) -> BTreeSet<String> {
    commands
        .iter()
        .flat_map(|c| c.files_written())
        .map(|text| text.trim_start_matches("./").trim_end_matches('/'))
        .filter(|clean| !clean.is_empty())
        .map(String::from)
        .collect()
}

/// File names a runbook shows the content of (a YAML block titled or commented
/// `# namespace.yaml`): the reader is meant to create them.
fn shown_files(cx: &RuleContext<'_>) -> Vec<String> {
    let mut shown = Vec::new();
    for block in cx.doc.code_blocks.iter().filter(|b| !b.is_shell) {
        let head: Vec<&str> = std::iter::once(block.info.as_str())
            .chain(block.lines.iter().take(3).map(|l| l.text.as_str()))
            .collect();
        for text in head {
            for word in text.split(|c: char| c.is_whitespace() || c == '"' || c == '=') {
                let word = word.trim_matches(|c: char| c == '#' || c == ':' || c == '`');
                if word.contains('.') && word.len() > 2 && !word.contains("://") {
                    shown.push(word.trim_start_matches("./").to_string());
                }
            }
        }
    }
    shown
}

fn is_created(path: &str, created: &BTreeSet<String>) -> bool {
    let clean = path.trim_start_matches("./").trim_end_matches('/');
    created.iter().any(|c| {
        clean == c
            || clean.starts_with(&format!("{c}/"))
            || c.rsplit('/').next() == Some(clean)
            || clean.rsplit('/').next() == c.rsplit('/').next() && c.contains('/')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::check;

    #[test]
    fn reports_missing_scripts_but_not_created_or_placeholder_paths() {
        let facts = crate::facts::ProjectFacts {
            files: ["scripts/deploy.sh".to_string(), ".env.example".to_string()].into(),
            dirs: ["scripts".to_string()].into(),
            ..Default::default()
        };
        let md = "```bash\n./scripts/deploy.sh\nbash scripts/pre-deploy.sh\ncp .env.example .env\ncp .env.sample .env\nsource .env\npython -m http.server\nmkdir -p out && ./out/run.sh\nnode <script>.js\n/usr/local/bin/x.sh\n```\n";
        let found = check(&MissingFile, md, &facts);
        assert_eq!(
            found,
            vec![
                (3, "file `scripts/pre-deploy.sh` does not exist".to_string()),
                (5, "file `.env.sample` does not exist".to_string()),
            ]
        );
    }

    #[test]
    fn paths_follow_cd_and_skip_generated_or_outside_paths() {
        let facts = crate::facts::ProjectFacts {
            files: [
                "apps/api/scripts/seed.ts".to_string(),
                "k8s/api.yaml".to_string(),
                "apps/api/compose.yaml".to_string(),
            ]
            .into(),
            dirs: [
                "apps".to_string(),
                "apps/api".to_string(),
                "apps/api/scripts".to_string(),
                "k8s".to_string(),
            ]
            .into(),
            ..Default::default()
        };
        let md = "```bash\nkubectl apply -f k8s/ -f k8s/web.yaml\nnode dist/server.js\ngit clone https://x/tools.git && bash tools/run.sh\ncd apps/api && tsx scripts/seed.ts && tsx scripts/gone.ts\ndocker compose -f compose.yaml up -d\ncd /srv/app && ./deploy.sh\n```\n";
        let found = check(&MissingFile, md, &facts);
        assert_eq!(
            found,
            vec![
                (2, "file `k8s/web.yaml` does not exist".to_string()),
                (5, "file `scripts/gone.ts` does not exist".to_string()),
            ]
        );
    }
}
