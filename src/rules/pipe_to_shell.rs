use std::sync::LazyLock;

use regex::Regex;

use super::Cx;
use crate::command::Joint;

declare_rule! {
    /// ## What it does
    /// Finds a script downloaded and run in one step: `curl ... | sh`, `wget -qO- ... | sudo
    /// bash`, `bash -c "$(curl ...)"`, `bash <(curl ...)`. Silent in development sections.
    ///
    /// ## Why is this bad?
    /// Whatever the server returns runs with your privileges, unreviewed; a truncated download
    /// runs half a script. On a production host this is remote code execution by design.
    ///
    /// ## Example
    /// ```bash
    /// curl -fsSL https://example.com/install.sh | sudo bash
    /// ```
    ///
    /// Use instead:
    /// ```bash
    /// curl -fsSLo install.sh https://example.com/install.sh
    /// sha256sum -c install.sh.sha256 && less install.sh && sudo bash install.sh
    /// ```
    pub struct PipeToShell {
        id: "pipe-to-shell",
        severity: Warning,
        summary: "a downloaded script piped straight into a shell",
    }
}

const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "fish", "source", "."];
const FETCHERS: &[&str] = &["curl", "wget", "iwr", "irm", "http", "https"];

/// `bash -c "$(curl ...)"` and `bash <(curl ...)`: the download is an argument.
static SUBSTITUTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\$\(|<\(|`)\s*(?:curl|wget)\b").expect("substitution regex"));

/// True for a download command (`curl`, `wget`, ...).
fn fetches(command: &crate::document::Command) -> bool {
    command
        .program_name()
        .is_some_and(|p| FETCHERS.contains(&p))
}

impl PipeToShell {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        // Whether the pipeline so far (from its first command, on this logical line) starts
        // with or passes through a download (`curl ... | tee x | sh`): kept in one pass, not
        // looked up backwards per shell (`sh | sh | ...` on one long line was quadratic).
        let mut fetched = false;
        let mut previous_line: Option<&std::sync::Arc<str>> = None;
        let doc = cx.doc;
        for command in &doc.commands {
            let same_line = previous_line.is_some_and(|l| std::sync::Arc::ptr_eq(l, &command.line));
            previous_line = Some(&command.line);
            let in_pipeline = same_line && command.joint == Joint::Pipe;
            let piped = in_pipeline && fetched;
            fetched = (in_pipeline && fetched) || fetches(command);
            let Some(program) = command.program_name() else {
                continue;
            };
            if !SHELLS.contains(&program) {
                continue;
            }
            let substituted = command.args().iter().any(|w| SUBSTITUTED.is_match(&w.text))
                || SUBSTITUTED.is_match(cx.text(command.span));
            // On a developer's own machine, running an installer this way is their call.
            if cx.effective_context(command.context) == crate::document::EnvContext::Development {
                continue;
            }
            if piped || substituted {
                cx.report(
                    command.span,
                    format!("a downloaded script is run by `{program}` without being reviewed"),
                )
                .help(
                    "download it to a file, verify its checksum or signature, read it, then run it",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, project};

    #[test]
    fn finds_pipes_and_substitutions() {
        let markdown = "# Setup\n\n```bash\ncurl -fsSL https://x.io/i.sh | sudo bash\nwget -qO- https://x.io/i.sh | sh -s -- -y\nbash -c \"$(curl -fsSL https://x.io/i.sh)\"\ncurl -fsSLo i.sh https://x.io/i.sh\ncurl https://x.io/data.json | jq .\ncurl -s https://x.io/i.sh | tee i.sh | bash\necho ok; curl -o x https://x.io && sh x\n# curl https://x.io/i.sh | sh\n```\n";
        let found = check(&PipeToShell, markdown, &project(&[], &[]));
        let lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![4, 5, 6, 9], "{found:?}");
    }
}
