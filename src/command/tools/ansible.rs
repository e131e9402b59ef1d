//! Ansible: the playbooks `ansible-playbook site.yml` runs and the inventory file `-i x` it
//! reads (not an inline host list such as `-i web1,`).

use super::flag_values;
use crate::command::invocation::{FileArg, FileRole, Invocation};

/// Options of `ansible-playbook` that take a value.
const VALUED: &[&str] = &[
    "-i",
    "--inventory",
    "-e",
    "--extra-vars",
    "-l",
    "--limit",
    "-u",
    "--user",
    "-t",
    "--tags",
    "--skip-tags",
    "-f",
    "--forks",
    "--vault-id",
    "--vault-password-file",
    "-M",
    "--module-path",
    "-c",
    "--connection",
    "--private-key",
    "--key-file",
    "-T",
    "--timeout",
    "--start-at-task",
    "-b",
    "--become-user",
    "--become-method",
];

/// Adds the playbooks and inventory file of an `ansible-playbook` invocation.
pub(super) fn understand(invocation: &mut Invocation) {
    if invocation.name() != "ansible-playbook" {
        return;
    }
    let args = invocation.args();
    let mut found: Vec<FileArg> = Vec::new();
    let mut skip = false;
    for word in args {
        if skip {
            skip = false;
            continue;
        }
        if word.text.starts_with('-') {
            skip = VALUED.contains(&word.text.as_str());
            continue;
        }
        found.push(FileArg {
            word: word.clone(),
            role: FileRole::Runs,
        });
    }
    found.extend(
        flag_values(args, &["-i", "--inventory"])
            .into_iter()
            .filter(|w| !w.text.contains(','))
            .map(|w| FileArg {
                word: w.clone(),
                role: FileRole::Reads,
            }),
    );
    invocation.files_read.extend(found);
}
