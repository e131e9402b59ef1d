//! Files commands make runnable, copy from, or create: `chmod +x x`, `cp .env.example .env`,
//! `mkdir x`, `curl -o x`, `git clone url dir`, `tar xf archive`.

use crate::command::invocation::{FileArg, FileRole, Invocation};

/// Options whose value is a file the command writes.
const OUTPUT_FLAGS: &[&str] = &[
    "-o",
    "-O",
    "--output",
    "-out",
    "--out",
    "--output-file",
    "-d",
];

/// Adds files read (`chmod +x`, template copies) and written.
pub(super) fn understand(invocation: &mut Invocation) {
    let Some(program) = invocation.words.first() else {
        return;
    };
    let program = program.text.clone();
    let args = invocation.args();
    let positional: Vec<&str> = args
        .iter()
        .map(|w| w.text.as_str())
        .filter(|w| !w.starts_with('-'))
        .collect();
    let mut read = Vec::new();
    match program.as_str() {
        "chmod" => {
            let mode = args.iter().position(|a| !a.text.starts_with('-'));
            if let Some(mode) = mode {
                if args[mode].text.contains('x')
                    || args[mode].text.chars().all(|c| c.is_ascii_digit())
                {
                    read.extend(
                        args[mode + 1..]
                            .iter()
                            .filter(|a| !a.text.starts_with('-'))
                            .map(|w| FileArg {
                                word: w.clone(),
                                role: FileRole::Runs,
                            }),
                    );
                }
            }
        }
        "cp" => {
            let sources: Vec<_> = args.iter().filter(|a| !a.text.starts_with('-')).collect();
            if sources.len() == 2 && is_template_name(&sources[0].text) {
                read.push(FileArg {
                    word: sources[0].clone(),
                    role: FileRole::CopiesTemplate,
                });
            }
        }
        // `npm ci --prefix app`: the package directory it installs.
        "npm"
            if args
                .iter()
                .any(|a| matches!(a.text.as_str(), "ci" | "install" | "i")) =>
        {
            read.extend(
                super::flag_values(args, &["--prefix"])
                    .into_iter()
                    .map(|w| FileArg {
                        word: w.clone(),
                        role: FileRole::Directory,
                    }),
            );
        }
        _ => {}
    }
    let mut written: Vec<String> = Vec::new();
    for pair in invocation
        .launchers
        .iter()
        .chain(&invocation.words)
        .collect::<Vec<_>>()
        .windows(2)
    {
        if OUTPUT_FLAGS.contains(&pair[0].text.as_str()) {
            written.push(pair[1].text.clone());
        }
    }
    match program.as_str() {
        "mkdir" | "touch" | "install" => written.extend(positional.iter().map(|p| p.to_string())),
        "cp" | "mv" | "ln" | "rsync" | "scp" | "unzip" | "wget" | "curl" => {
            written.extend(positional.last().map(|p| p.to_string()))
        }
        "git" if positional.first() == Some(&"clone") => {
            if positional.len() >= 3 {
                written.push(positional[positional.len() - 1].to_string());
            } else if let Some(url) = positional.get(1) {
                let name = url.rsplit(['/', ':']).next().unwrap_or(url);
                written.push(name.trim_end_matches(".git").to_string());
            }
        }
        // Unpacked archives create paths we cannot list: trust the runbook.
        "tar" => written.extend(positional.iter().map(|p| p.to_string())),
        _ => {}
    }
    invocation.files_read.extend(read);
    invocation.files_written.extend(written);
}

/// A file copied to make a real one: an env template, or anything named example or sample.
fn is_template_name(source: &str) -> bool {
    let source = source.to_ascii_lowercase();
    let name = source.rsplit('/').next().unwrap_or(&source);
    crate::manifests::is_env_template(name) || name.contains("example") || name.contains("sample")
}

#[cfg(test)]
mod tests {
    use crate::command::parse;

    #[test]
    fn created_and_copied_files() {
        let command = parse("cp .env.example .env");
        let read = &command.invocation().unwrap().files_read;
        assert_eq!(read[0].word.text, ".env.example");
        let written =
            |line: &str| -> Vec<String> { parse(line).files_written().map(String::from).collect() };
        assert_eq!(
            written("curl -o out.sh https://x"),
            vec!["out.sh", "https://x"]
        );
        assert_eq!(written("git clone https://x/tools.git"), vec!["tools"]);
        assert_eq!(written("mkdir -p out && touch x"), vec!["out"]);
    }
}
