//! pip and its relatives: the requirement and constraint files `pip install -r x -c y`,
//! `uv pip install -r x`, `uv pip sync x`, `pip-sync x y` and `pip-compile x.in` read.

use super::flag_values;
use crate::command::invocation::{FileArg, FileRole, Invocation};

/// Adds the requirement files the invocation reads.
pub(super) fn understand(invocation: &mut Invocation) {
    let name = invocation.name().to_string();
    let args = invocation.args();
    // `uv pip install -r x`, `uv pip sync x`: the words after `uv pip`.
    let (args, program) = match (name.as_str(), args.first().map(|a| a.text.as_str())) {
        ("uv", Some("pip")) => (&args[1..], "pip"),
        ("uv", _) => return,
        (other, _) => (args, other),
    };
    let subcommand = args
        .iter()
        .find(|a| !a.text.starts_with('-'))
        .map(|a| a.text.as_str());
    let mut read: Vec<_> = Vec::new();
    match (program, subcommand) {
        ("pip" | "pip3", Some("install" | "download" | "wheel")) => {
            read.extend(flag_values(
                args,
                &["-r", "--requirement", "-c", "--constraint"],
            ));
            read.extend(args.iter().filter_map(|a| {
                ["--requirement=", "--constraint="]
                    .iter()
                    .find_map(|p| a.text.strip_prefix(p).map(|_| a))
            }));
        }
        // `uv pip sync x`, `pip-sync x y`, `pip-compile x.in`: every positional is a file.
        ("pip", Some("sync" | "compile")) | ("pip-sync" | "pip-compile", _) => {
            let skip = usize::from(program == "pip");
            read.extend(args.iter().filter(|a| !a.text.starts_with('-')).skip(skip));
        }
        _ => {}
    }
    let found: Vec<FileArg> = read
        .into_iter()
        .map(|w| {
            let mut word = w.clone();
            if let Some((_, value)) = w.text.split_once('=').filter(|_| w.text.starts_with("--")) {
                word.text = value.to_string();
            }
            FileArg {
                word,
                role: FileRole::Reads,
            }
        })
        .collect();
    invocation.files_read.extend(found);
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
    fn requirement_files() {
        assert_eq!(
            files("pip install -r requirements/prod.txt -c constraints.txt"),
            vec!["requirements/prod.txt", "constraints.txt"]
        );
        assert_eq!(files("python -m pip install -r req.txt"), vec!["req.txt"]);
        assert_eq!(files("uv pip install -r req.txt"), vec!["req.txt"]);
        assert_eq!(
            files("uv pip sync requirements.lock"),
            vec!["requirements.lock"]
        );
        assert_eq!(files("pip-sync a.txt b.txt"), vec!["a.txt", "b.txt"]);
        assert!(files("pip install flask").is_empty());
        assert!(files("uv sync").is_empty());
    }
}
