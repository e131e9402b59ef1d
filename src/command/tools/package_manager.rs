//! What npm, pnpm, Yarn and Bun command lines run: a package script (`npm run x`, `pnpm x`,
//! `yarn workspace a x`, `bun run x`) in which package (`--filter`, `-w`, `--prefix`, `-C`,
//! `--cwd`, `-r`). The per-manager differences live in `npm.rs`, `pnpm.rs`, `yarn.rs` and
//! `bun.rs`.

use std::sync::LazyLock;

use super::super::shell::Word;

/// A package manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PackageManager {
    /// npm
    Npm,
    /// pnpm
    Pnpm,
    /// Yarn
    Yarn,
    /// Bun
    Bun,
}

impl PackageManager {
    /// The program name.
    pub fn program(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Yarn => "yarn",
            PackageManager::Bun => "bun",
        }
    }

    /// How a user runs `script` with this manager (`npm run x`, `pnpm x`).
    pub fn run_command(self, script: &str) -> String {
        match self {
            PackageManager::Npm => format!("npm run {script}"),
            PackageManager::Bun => format!("bun run {script}"),
            PackageManager::Pnpm => format!("pnpm {script}"),
            PackageManager::Yarn => format!("yarn {script}"),
        }
    }

    /// How a user runs `script` of the workspace package `name`.
    pub fn run_in_package(self, name: &str, script: &str) -> String {
        match self {
            PackageManager::Pnpm => format!("pnpm --filter {name} {script}"),
            PackageManager::Yarn => format!("yarn workspace {name} {script}"),
            _ => format!("npm -w {name} run {script}"),
        }
    }

    /// The manager a program word names (`npm`, `pnpm`, `yarn`, `bun`).
    pub fn from_program(word: &str) -> Option<Self> {
        Some(match word {
            "npm" => PackageManager::Npm,
            "pnpm" => PackageManager::Pnpm,
            "yarn" => PackageManager::Yarn,
            "bun" => PackageManager::Bun,
            _ => return None,
        })
    }
}

/// A package-manager command line that runs a package script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptRun {
    /// The manager used.
    pub manager: PackageManager,
    /// Script name.
    pub script: String,
    /// The word naming the script (for `npm test`, the lifecycle command).
    pub script_word: Word,
    /// Which package runs it.
    pub target: PackageTarget,
    /// `--if-present`: a missing script is not an error.
    pub if_present: bool,
    /// True when the word could also be a binary of a dependency (`pnpm x`, `yarn x`).
    pub may_be_binary: bool,
}

/// Which package a script call runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageTarget {
    /// The package of the directory the command runs in.
    Here,
    /// The package of a directory relative to where the command runs (`--prefix app`,
    /// `pnpm -C app`, `yarn --cwd app`).
    Dir(String),
    /// The workspace root (`pnpm -w`).
    Root,
    /// A package by name (`--filter`, `npm -w`, `yarn workspace`).
    Named(String),
    /// Every workspace package (`-r`, `--workspaces`): fine if any has it.
    All,
}

/// The lists of `rules/package-managers.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ManagerData {
    builtins: Vec<String>,
    well_known_binaries: Vec<String>,
}

static MANAGER_DATA: LazyLock<ManagerData> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../rules/package-managers.toml"))
        .expect("rules/package-managers.toml is valid (unit-tested)")
});

/// True for a subcommand of the managers that is never a package script (`install`, `add`).
pub(super) fn is_builtin(word: &str) -> bool {
    MANAGER_DATA.builtins.iter().any(|b| b == word)
}

/// [`is_builtin`], for the launcher peeling of the command layer.
pub fn is_manager_builtin(word: &str) -> bool {
    is_builtin(word)
}

/// True for a CLI commonly run as `pnpm x` whose package name differs from the binary
/// (`tsc` from typescript).
pub fn is_well_known_binary(name: &str) -> bool {
    MANAGER_DATA.well_known_binaries.iter().any(|b| b == name)
}

/// npm lifecycle commands that run the script of the same name.
pub(super) fn lifecycle(word: &str) -> Option<&'static str> {
    Some(match word {
        "test" | "t" | "tst" => "test",
        "start" => "start",
        "stop" => "stop",
        "restart" => "restart",
        _ => return None,
    })
}

/// What the words after the global options name, per manager.
pub(super) enum Subcommand {
    /// Not a script: a built-in command.
    None,
    /// The script name is at this index; `may_be_binary` as in [`ScriptRun`].
    ScriptAt { index: usize, may_be_binary: bool },
    /// A lifecycle command (`npm test`): this script, at this index.
    Lifecycle { script: &'static str, index: usize },
}

/// Interprets `words` (program first) as a script call, if it is one.
pub fn script_run(words: &[Word]) -> Option<ScriptRun> {
    let word = |i: usize| words.get(i).map(|w| w.text.as_str()).unwrap_or("");
    let manager = PackageManager::from_program(word(0))?;
    let mut target = PackageTarget::Here;
    let mut if_present = false;
    let mut i = 1;
    // Global options before the command.
    loop {
        let w = word(i);
        let (flag, inline_value) = match w.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f, Some(v)),
            _ => (w, None),
        };
        let value = |i: &mut usize| -> String {
            match inline_value {
                Some(v) => v.to_string(),
                None => {
                    *i += 1;
                    word(*i).to_string()
                }
            }
        };
        match flag {
            "--filter" | "-F" => target = PackageTarget::Named(value(&mut i)),
            "-w" | "--workspace" if manager == PackageManager::Npm => {
                target = PackageTarget::Named(value(&mut i))
            }
            "-w" | "--workspace-root" => target = PackageTarget::Root,
            "-C" | "--dir" | "--prefix" | "--cwd" => target = PackageTarget::Dir(value(&mut i)),
            "-r" | "--recursive" | "-ws" | "--workspaces" => target = PackageTarget::All,
            "--if-present" => if_present = true,
            f if f.starts_with('-') => {}
            _ => break,
        }
        i += 1;
        if i >= words.len() {
            return None;
        }
    }
    let subcommand = match manager {
        PackageManager::Npm => super::npm::subcommand(words, i),
        PackageManager::Pnpm => super::pnpm::subcommand(words, i),
        PackageManager::Yarn => super::yarn::subcommand(words, i, &mut target),
        PackageManager::Bun => super::bun::subcommand(words, i),
    };
    let (script_index, may_be_binary) = match subcommand {
        Subcommand::None => return None,
        Subcommand::Lifecycle { script, index } => {
            return Some(ScriptRun {
                manager,
                script: script.to_string(),
                script_word: words[index].clone(),
                target,
                // `npm start` falls back to `node server.js` when there is no script.
                if_present: if_present || script == "start",
                may_be_binary: false,
            });
        }
        Subcommand::ScriptAt {
            index,
            may_be_binary,
        } => (index, may_be_binary),
    };
    // Options between `run` and the script name.
    let mut script_index = script_index;
    while word(script_index).starts_with('-') {
        if word(script_index) == "--if-present" {
            if_present = true;
        }
        script_index += 1;
    }
    let script = word(script_index);
    if script.is_empty() || !looks_like_script_name(script) {
        return None;
    }
    // npm reads its own flags after the script name too, up to `--`.
    if words[script_index..]
        .iter()
        .map(|w| w.text.as_str())
        .take_while(|w| *w != "--")
        .any(|w| w == "--if-present")
    {
        if_present = true;
    }
    Some(ScriptRun {
        manager,
        script: script.to_string(),
        script_word: words[script_index].clone(),
        target,
        if_present,
        may_be_binary,
    })
}

/// `run` and its misspellings npm accepts.
pub(super) fn is_run(word: &str) -> bool {
    matches!(word, "run" | "run-script" | "rum" | "urn")
}

/// Script names are words like `test:e2e` or `db:migrate`, not paths or placeholders.
fn looks_like_script_name(word: &str) -> bool {
    !word.contains('/')
        && !word.starts_with('<')
        && !word.starts_with('[')
        && !word.starts_with('$')
        && !word.starts_with('{')
        && !crate::paths::has_extension(word, &["js", "ts", "mjs", "cjs"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::parse;

    fn run(line: &str) -> Option<(String, PackageTarget, bool, bool)> {
        let command = parse(line);
        let script = command.invocation()?.script.clone()?;
        Some((
            script.script,
            script.target,
            script.if_present,
            script.may_be_binary,
        ))
    }

    #[test]
    fn script_calls_of_each_manager() {
        use PackageTarget::*;
        assert_eq!(
            run("pnpm --filter @acme/api db:migrate"),
            Some(("db:migrate".into(), Named("@acme/api".into()), false, true))
        );
        assert_eq!(
            run("npm run build --if-present"),
            Some(("build".into(), Here, true, false))
        );
        assert_eq!(
            run("npm --prefix app run deploy"),
            Some(("deploy".into(), Dir("app".into()), false, false))
        );
        assert_eq!(
            run("yarn --cwd=app db:sync"),
            Some(("db:sync".into(), Dir("app".into()), false, true))
        );
        assert_eq!(
            run("yarn workspace web run build"),
            Some(("build".into(), Named("web".into()), false, false))
        );
        assert_eq!(
            run("npm -w api test"),
            Some(("test".into(), Named("api".into()), false, false))
        );
        assert_eq!(run("npm start"), Some(("start".into(), Here, true, false)));
        assert_eq!(
            run("pnpm -r build"),
            Some(("build".into(), All, false, true))
        );
        assert_eq!(run("pnpm install"), None);
        assert_eq!(run("npm ci"), None);
        assert_eq!(run("npm exec prisma"), None);
        assert_eq!(run("bun x.ts"), None);
        assert_eq!(run("pnpm run ./scripts/x.js"), None);
        assert!(is_well_known_binary("tsc"));
    }
}
