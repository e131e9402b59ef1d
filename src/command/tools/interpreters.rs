//! Interpreters and direct execution: the script file `bash x.sh`, `node x.js`,
//! `python x.py`, `source x`, `./x` run or read.

use crate::command::invocation::{FileArg, FileRole, Invocation};

/// Interpreters whose first file argument is a script.
const INTERPRETERS: &[&str] = &[
    "node", "python", "python3", "ruby", "ts-node", "tsx", "bash", "sh", "zsh", "source", ".",
    "perl", "php",
];

/// Options of `manage.py` and `django-admin` that take a value.
pub(super) const DJANGO_VALUE_FLAGS: &[&str] = &[
    "--database",
    "--settings",
    "--pythonpath",
    "-v",
    "--verbosity",
];

/// Options of `alembic` that take a value.
pub(super) const ALEMBIC_VALUE_FLAGS: &[&str] = &["-c", "--config", "-n", "--name", "-x"];

/// Options of `prisma` that take a value.
pub(super) const PRISMA_VALUE_FLAGS: &[&str] = &["--schema", "--name", "-n"];

/// Python launchers peeled before the script they run (`python manage.py`).
const PYTHONS: &[&str] = &["python", "python3", "py"];

/// Script extensions (any case): a word with one is a file, not a module or a command name.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "sh", "py", "js", "mjs", "cjs", "ts", "rb", "bash", "zsh", "pl", "php",
];

/// Adds the script an interpreter or a direct execution runs.
pub(super) fn understand(invocation: &mut Invocation) {
    let Some(program) = invocation.words.first().cloned() else {
        return;
    };
    let text = program.text.as_str();
    // `./deploy.sh`, `scripts/rotate.py --all`, `bin/setup`: a script run by its path.
    if text.starts_with("./")
        || text.starts_with("../")
        || (invocation.launchers.is_empty() && crate::command::is_script_path(text))
    {
        invocation.files_read.push(FileArg {
            word: program.clone(),
            role: FileRole::Runs,
        });
    }
    // `python manage.py migrate`: the launcher `python` runs the file `manage.py`.
    let launched_by_python = invocation
        .launchers
        .last()
        .is_some_and(|l| PYTHONS.contains(&l.text.as_str()));
    if launched_by_python && is_script_like(text) && !text.starts_with("./") {
        invocation.files_read.push(FileArg {
            word: program.clone(),
            role: FileRole::Runs,
        });
        return;
    }
    if !INTERPRETERS.contains(&text) {
        return;
    }
    let args = invocation.args();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].text.as_str();
        if matches!(arg, "-c" | "-m" | "-e" | "--eval" | "-p" | "--print" | "-") {
            break; // inline code or a module, not a file
        }
        if matches!(
            arg,
            "-r" | "--require" | "--import" | "--loader" | "-W" | "-X" | "-o"
        ) {
            i += 2;
            continue;
        }
        if arg.starts_with('-') {
            i += 1;
            continue;
        }
        let sources = matches!(text, "source" | ".");
        // `node server` or `python manage` without a path or extension may be a module.
        if is_script_like(arg) || sources {
            let role = if sources {
                FileRole::Sources
            } else {
                FileRole::Runs
            };
            invocation.files_read.push(FileArg {
                word: args[i].clone(),
                role,
            });
        }
        break;
    }
}

/// True for a path or a file with a script extension.
fn is_script_like(word: &str) -> bool {
    word.contains('/') || crate::paths::has_extension(word, SCRIPT_EXTENSIONS)
}

#[cfg(test)]
mod tests {
    use crate::command::parse;

    fn files(line: &str) -> Vec<String> {
        parse(line)
            .invocations
            .iter()
            .flat_map(|i| i.files_read.iter().map(|f| f.word.text.clone()))
            .collect()
    }

    #[test]
    fn scripts_run_by_interpreters() {
        assert_eq!(
            files("bash -x scripts/deploy.sh now"),
            vec!["scripts/deploy.sh"]
        );
        assert_eq!(files("python manage.py migrate"), vec!["manage.py"]);
        assert_eq!(
            files("poetry run python scripts/seed.py"),
            vec!["scripts/seed.py"]
        );
        assert_eq!(files("npx tsx scripts/seed.ts"), vec!["scripts/seed.ts"]);
        assert_eq!(files("./bin/setup --force"), vec!["./bin/setup"]);
        assert_eq!(files("scripts/rotate.py --all"), vec!["scripts/rotate.py"]);
        assert_eq!(files("source .env.example"), vec![".env.example"]);
        assert_eq!(files(". scripts/prod-env.sh"), vec!["scripts/prod-env.sh"]);
        assert_eq!(
            files(". ./scripts/prod-env.sh"),
            vec!["./scripts/prod-env.sh"]
        );
        assert!(files("python -m http.server").is_empty());
        assert!(files("node server").is_empty());
        assert!(files("bash -c 'echo x.sh'").is_empty());
    }
}
