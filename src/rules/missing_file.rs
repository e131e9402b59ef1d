use std::collections::BTreeSet;

use super::{Cx, RuleContext};
use crate::command::{FileRole, Word, WorkDir};
use crate::document::Command;
use crate::fix::{closest, replacement_fix, Fix};

declare_rule! {
    /// ## What it does
    /// Checks that the repository files a command runs or reads exist: `./x.sh`,
    /// `scripts/x.py`, `bash|sh|zsh x`, `node|python|python3|ruby|ts-node|tsx x`,
    /// `chmod +x x`, `source x` and `. x`, the `-f` file of `docker compose`, `docker build` and
    /// `kubectl apply` (`-k` too), the source of `cp .env.example .env`, `--env-file x`,
    /// `pip install -r x` (`-c` too, and `uv pip install`), `uv pip sync x`, `pip-sync x`,
    /// `npm ci --prefix dir`, `helm -f`/`--values x` and a local `./chart`,
    /// `terraform -var-file x`, `psql -f x`, `< x` input, `ansible-playbook x` and its
    /// `-i` inventory file, `kubectl create configmap|secret --from-file x`; and a file path
    /// named in inline code of a checklist item (`- [ ] Update `config/production.yml``,
    /// not one the item creates) or, with a directory, of a list item (`2. Post the update
    /// using `docs/templates/comms.md``; a path whose end names one repository file, such as
    /// a chart's `templates/canary.yaml`, is that file); and, where the repository has a
    /// `.github/workflows` directory, a workflow file named in inline code: a path under
    /// .github/workflows, or a bare YAML file name on a line that says "workflow" and that
    /// no repository file has. Paths are taken from the command's `cd` directory; without
    /// one, from the runbook's directory or the repository root. The help offers the
    /// repository's closest paths, best first: the same file name elsewhere
    /// (`scripts/smoke.sh` → `tools/qa/smoke.sh`), or a close name of the same kind.
    ///
    /// Not checked: absolute and home paths, URLs, placeholders (`<file>`, `$DIR/x`,
    /// `$GITHUB_ENV`, globs), paths leaving the repository, paths the repository ignores or
    /// generates (`dist/`, `.env`, a virtualenv's `bin/activate`, Terraform's
    /// `*.auto.tfvars` and state), paths the runbook itself creates (`mkdir`, `git clone`,
    /// `> out`, `cp a b`, `curl -o x`...), and commands run in a container or on another
    /// host (`docker compose exec db psql -f x`, the lines after `ssh host`): their files
    /// are that machine's.
    ///
    /// ## Why is this bad?
    /// Scripts get deleted or moved and runbooks keep calling them:
    /// `./scripts/pre-deploy-check.sh: No such file or directory`, mid-deploy, with nobody sure
    /// whether the step still matters.
    ///
    /// ## Example
    /// ```markdown
    /// ./scripts/pre-deployment-validation.sh
    /// helm upgrade web ./charts/web -f deploy/values-prod.yaml
    /// pip install -r requirements/prod.txt
    /// source scripts/prod-env.sh
    /// kubectl apply -k deploy/overlays/prod
    /// - [ ] Run `scripts/smoke.sh`        (moved to tools/qa/smoke.sh)
    /// ```
    ///
    /// Use instead (the files that exist), or delete the step:
    /// ```markdown
    /// ./scripts/validate.sh
    /// helm upgrade web ./charts/web -f deploy/values.yaml
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
        // After a release archive is unpacked, its files are there and not in the tree.
        let unpacked_at = unpacked_at(cx.file());
        for command in &cx.doc.commands {
            if unpacked_at.is_some_and(|at| at < command.span.start) {
                break;
            }
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
                let help = help(cx.file(), path, &resolved);
                let fix = renamed_fix(cx.file(), word, &resolved);
                cx.report(word.span, format!("file `{path}` does not exist"))
                    .label("not in the repository")
                    .help(help)
                    .fix(fix);
            }
        }
        checklist_paths(cx, &created);
        workflow_files(cx, &created);
    }
}

/// A bare workflow file name in inline code: `deploy.yml`, `cd-dev.yaml`.
static BARE_YAML: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$").expect("bare yaml regex")
});

/// Workflow files named in inline code of prose (`.github/workflows/cd-dev.yml`, or a bare
/// `deploy.yml` on a line that says "workflow") that the repository's `.github/workflows`
/// does not hold. Only where the repository has that directory; checklist and list items
/// are [`checklist_paths`]'s.
fn workflow_files(cx: &mut Cx<'_, '_>, created: &BTreeSet<String>) {
    const DIR: &str = ".github/workflows";
    if !cx.project.has_dir(DIR) {
        return;
    }
    let doc = cx.doc;
    let workflows: Vec<String> = cx
        .project
        .files
        .iter()
        .filter(|f| f.starts_with(".github/workflows/"))
        .map(|f| f.trim_start_matches(".github/workflows/").to_string())
        .collect();
    for code in &doc.inline_code {
        let path = code.text.trim();
        let path = path.strip_prefix("./").unwrap_or(path);
        let bare = BARE_YAML.is_match(path);
        let in_list = matches!(
            code.block,
            crate::document::BlockKind::ChecklistItem | crate::document::BlockKind::ListItem
        );
        let named = if let Some(name) = path.strip_prefix(".github/workflows/") {
            if in_list || !BARE_YAML.is_match(name) {
                continue;
            }
            name
        } else if bare && code.block != crate::document::BlockKind::ChecklistItem {
            // A bare name is a workflow only when its line says so, and no file of the
            // repository has that name (`values.yaml` is a chart's, `mkdocs.yml` the root's).
            let line_start = cx.source[..code.span.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = cx.source[code.span.end..]
                .find('\n')
                .map_or(cx.source.len(), |i| code.span.end + i);
            let line = &cx.source[line_start..line_end];
            // "create `nightly.yml`", "for any new workflow you write": not there yet.
            if !line.to_ascii_lowercase().contains("workflow")
                || CREATES.is_match(line)
                || line.contains("://")
                || cx.project.files_by_name().contains_key(path)
            {
                continue;
            }
            path
        } else {
            continue;
        };
        let full = format!("{DIR}/{named}");
        if cx.project.has_file(&full) || is_created(&full, created) || is_created(path, created) {
            continue;
        }
        let close: Vec<String> = crate::suggest::did_you_mean(named, workflows.iter().map(String::as_str))
            .into_iter()
            .map(|n| format!("`{DIR}/{n}`"))
            .collect();
        let help = if close.is_empty() {
            let listed: Vec<String> = workflows.iter().take(12).map(|w| format!("`{w}`")).collect();
            format!("the workflows are: {}", listed.join(", "))
        } else {
            format!("did you mean {}?", close.join(" or "))
        };
        cx.report(code.span, format!("workflow file `{full}` does not exist"))
            .label("not in .github/workflows")
            .help(help);
    }
}

/// Prose that says an archive was unpacked: "after unpacking the release", "extract the
/// tarball".
static UNPACK_PROSE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(unpack\w*|extract\w*|untar\w*|unzip\w*)\b[^.]{0,60}\b(release|archive|tarball|contents|bundle|zip|tar)\b|\b(release|archive|tarball|bundle)\b[^.]{0,40}\b(unpack\w*|extract\w*)\b")
        .expect("unpack regex")
});

/// Where the runbook first unpacks an archive (`tar -xf`, `unzip`) or says it did: from there
/// on, relative paths may be the archive's, which the tree does not show.
fn unpacked_at(cx: &RuleContext<'_>) -> Option<usize> {
    let command = cx.doc.commands.iter().find(|c| {
        c.invocations.iter().any(|i| {
            let args: Vec<&str> = i.args().iter().map(|w| w.text.as_str()).collect();
            i.name() == "unzip"
                || (i.name() == "tar"
                    && args.first().is_some_and(|a| {
                        *a == "--extract"
                            || (!a.starts_with("--") && a.trim_start_matches('-').contains('x'))
                    }))
        })
    });
    let prose = cx
        .doc
        .text_blocks
        .iter()
        .filter(|t| UNPACK_PROSE.is_match(&t.text))
        .map(|t| t.span.start)
        .min();
    [command.map(|c| c.span.start), prose]
        .into_iter()
        .flatten()
        .min()
}

/// The help of a missing path: the repository's closest paths, best first, or where it was
/// looked for.
fn help(cx: &RuleContext<'_>, path: &str, resolved: &[String]) -> String {
    let readings: Vec<&str> = if resolved.is_empty() {
        vec![path]
    } else {
        resolved.iter().map(String::as_str).collect()
    };
    let close = similar_paths(cx, &readings);
    match close.as_slice() {
        [] => format!(
            "no such file in the repository (looked for `{}`); fix the path or remove the step",
            resolved.join("` and `")
        ),
        [one] => format!("did you mean `{one}`? (paths from the repository root)"),
        [first, rest @ ..] => format!(
            "did you mean `{first}`{}? (paths from the repository root)",
            rest.iter().map(|c| format!(" or `{c}`")).collect::<String>()
        ),
    }
}

/// Most paths a help offers.
const SUGGESTED_PATHS: usize = 3;

/// Repository files like `wanted` (its readings relative to the root), best first, each once:
/// files of the same name anywhere (`scripts/smoke.sh` → `tools/qa/smoke.sh`), else files
/// whose name is close (`deploy-prod.sh` → `deploy_prod.sh`), ranked by how much of the path
/// they share with the reading they are closest to.
fn similar_paths(cx: &RuleContext<'_>, readings: &[&str]) -> Vec<String> {
    let by_name = cx.project.files_by_name();
    let wanted = readings.first().copied().unwrap_or_default();
    let name = wanted.rsplit('/').next().unwrap_or(wanted);
    let mut names: Vec<&str> = Vec::new();
    if by_name.contains_key(name) {
        names.push(name);
    } else {
        // A close name of the same kind of file: `seeds.sql` → `seed.sql`, not `seed.py`.
        let extension = |n: &str| n.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let wanted_extension = extension(name);
        names.extend(
            crate::suggest::did_you_mean(name, by_name.keys().map(String::as_str))
                .into_iter()
                .filter(|n| extension(n) == wanted_extension),
        );
    }
    // All candidates by how much of the path they share: the name's own likeness is already
    // in the path's (`incident-comms.md` → `docs/templates/incident-update.md` before
    // `docs/incident.md`).
    let mut scored: Vec<(f64, &str)> = names
        .iter()
        .flat_map(|n| by_name.get(*n).into_iter().flatten().take(50))
        .map(String::as_str)
        .filter(|p| !readings.contains(p) && !cx.project.ignored.is_ignored(p))
        .take_while(|_| crate::suggest::spend_suggestion_budget())
        .map(|p| {
            let likeness = readings
                .iter()
                .map(|r| strsim::normalized_levenshtein(r, p))
                .fold(0.0, f64::max);
            (-likeness, p)
        })
        .collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, path) in scored {
        if !out.iter().any(|p| p == path) {
            out.push(path.to_string());
        }
        if out.len() == SUGGESTED_PATHS {
            break;
        }
    }
    out
}

/// File extensions a path named in a checklist item must have to be checked (a path without
/// one may be an API route, a branch or a URL path).
const CHECKLIST_EXTENSIONS: &[&str] = &[
    "yml", "yaml", "json", "toml", "md", "sh", "bash", "py", "js", "mjs", "cjs", "ts", "sql",
    "tf", "tfvars", "conf", "cfg", "ini", "txt", "rb", "go", "lock", "properties", "xml",
    "csv", "example", "sample", "template", "tpl", "j2", "service", "plist", "ps1",
];

/// Words before a path that say the step creates it ("create `docs/adr/0007.md`").
static CREATES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(create|creates|created|add|adds|added|new|write|writes|generate|generates|generated|rename|renamed|move|moved|touch|scaffold|copy|copied|produce|produces|output|outputs|save|saved)\b")
        .expect("creates regex")
});

/// Paths in inline code of checklist items (`- [ ] Update `config/production.yml``) and of
/// list items (`2. Post the update using `docs/templates/comms.md``) that name repository
/// files which do not exist.
fn checklist_paths(cx: &mut Cx<'_, '_>, created: &BTreeSet<String>) {
    let doc = cx.doc;
    let dir = cx.dir().to_string();
    for code in &doc.inline_code {
        let in_checklist = code.block == crate::document::BlockKind::ChecklistItem;
        if !in_checklist && code.block != crate::document::BlockKind::ListItem {
            continue;
        }
        let path = code.text.trim();
        // In a plain list item only a path with a directory: a bare `notes.md` there is as
        // often a file of another system as one of this repository.
        if !in_checklist && !path.trim_start_matches("./").contains('/') {
            continue;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        let checkable_path =
            checkable(path) && !path.contains(char::is_whitespace) && !path.contains("..");
        let has_extension = name
            .rsplit_once('.')
            .is_some_and(|(stem, ext)| !stem.is_empty() && CHECKLIST_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()));
        if !checkable_path || !has_extension || is_created(path, created) {
            continue;
        }
        // Already checked as a command (`- [ ] `./deploy.sh``), or a file the step creates.
        if doc.commands.iter().any(|c| code.span.contains(c.span)) {
            continue;
        }
        let item = doc.checklist.iter().find(|i| i.span.contains(code.span));
        let before = item
            .and_then(|i| cx.source.get(i.span.start..code.span.start))
            .unwrap_or("");
        if CREATES.is_match(before) {
            continue;
        }
        let bare = path.strip_prefix("./").unwrap_or(path);
        if !bare.contains('/') && cx.project.files_by_name().contains_key(bare) {
            continue;
        }
        // A list item may name a file relative to what it is about (`templates/canary.yaml`
        // of a Helm chart): one file whose path ends so is the one meant.
        if !in_checklist && ends_an_existing_path(cx, bare) {
            continue;
        }
        let resolved: Vec<String> = [dir.as_str(), ""]
            .iter()
            .filter_map(|b| crate::paths::join(b, path))
            .collect();
        if resolved.is_empty()
            || resolved.iter().any(|p| {
                cx.project.has_file(p) || cx.project.has_dir(p) || cx.project.ignored.is_ignored(p)
            })
        {
            continue;
        }
        let help = help(cx.file(), path, &resolved);
        cx.report(code.span, format!("file `{path}` does not exist"))
            .label(if in_checklist {
                "named in a checklist item"
            } else {
                "named in a step of a list"
            })
            .help(help);
    }
}

/// True when a repository file's path ends with `/` + `path`.
fn ends_an_existing_path(cx: &RuleContext<'_>, path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let suffix = format!("/{path}");
    cx.project
        .files_by_name()
        .get(name)
        .is_some_and(|paths| paths.iter().any(|p| p.ends_with(&suffix)))
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
