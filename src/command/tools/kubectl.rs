//! kubectl (and OpenShift's oc): `kubectl exec TARGET -- COMMAND` runs COMMAND in a pod; the
//! manifests `apply|create|replace|delete|diff -f|-k` read; the keys
//! `create secret|configmap NAME --from-literal=K=V` stores; options that take a value.

use super::{flag_values, Carrier};
use crate::command::invocation::{EnvStore, ExecLocation, FileArg, FileRole, Invocation, Runtime};

/// kubectl options that take a value.
pub(super) const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "--context",
    "-l",
    "--selector",
    "--kubeconfig",
    "-o",
    "--output",
    "-c",
    "--container",
    "--cluster",
    "--user",
];

/// oc options that take a value.
pub(super) const OC_VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "--context",
    "-l",
    "--selector",
    "-o",
    "--output",
];

/// `kubectl exec [options] TARGET -- COMMAND`; without `--` nothing is run in the pod that we
/// could tell apart from kubectl's own arguments.
pub(super) fn carrier(argv: &[&str], i: usize) -> Option<Carrier> {
    if argv.get(i + 1) != Some(&"exec") {
        return None;
    }
    let dashes = i + argv[i..].iter().position(|w| *w == "--")?;
    let mut target = String::new();
    let mut j = i + 2;
    while j < dashes {
        if VALUE_FLAGS.contains(&argv[j]) {
            j += 2;
            continue;
        }
        if !argv[j].starts_with('-') {
            target = argv[j].to_string();
            break;
        }
        j += 1;
    }
    Some(Carrier {
        inner: dashes + 1..argv.len(),
        location: ExecLocation::Container {
            runtime: Runtime::Kubernetes,
            name: target,
        },
    })
}

/// The manifests a resource command reads.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args().to_vec();
    let args = args.as_slice();
    let reads_manifests = args.first().is_some_and(|a| {
        matches!(
            a.text.as_str(),
            "apply" | "create" | "replace" | "delete" | "diff"
        )
    });
    // `kubectl create configmap x --from-file=conf/app.ini`, `--from-file=key=path`,
    // `--from-env-file x`.
    if args.first().is_some_and(|a| a.text == "create") {
        let mut sources = Vec::new();
        for (i, word) in args.iter().enumerate() {
            let value = match word.text.as_str() {
                "--from-file" | "--from-env-file" => args.get(i + 1).cloned(),
                text => text
                    .strip_prefix("--from-file=")
                    .or_else(|| text.strip_prefix("--from-env-file="))
                    .map(|value| {
                        let mut word = word.clone();
                        word.text = value.to_string();
                        word
                    }),
            };
            if let Some(mut word) = value {
                // `key=path`: the path is after the key.
                if let Some((_, path)) = word.text.split_once('=') {
                    word.text = path.to_string();
                }
                sources.push(FileArg {
                    word,
                    role: FileRole::Reads,
                });
            }
        }
        invocation.files_read.extend(sources);
    }
    if reads_manifests {
        let found: Vec<FileArg> = flag_values(args, &["-f", "--filename", "-k", "--kustomize"])
            .into_iter()
            .map(|w| FileArg {
                word: w.clone(),
                role: FileRole::KubernetesManifest,
            })
            .collect();
        invocation.files_read.extend(found);
    }
    stored_literals(invocation);
}

/// `kubectl create secret generic NAME --from-literal=K=V` (`configmap` too): the keys, stored
/// in the object NAME.
fn stored_literals(invocation: &mut Invocation) {
    let args = invocation.args();
    let positionals = super::secrets::positionals(args, VALUE_FLAGS);
    let name = match positionals.as_slice() {
        [create, secret, _type, name, ..] if create.text == "create" && secret.text == "secret" => {
            name
        }
        [create, configmap, name, ..]
            if create.text == "create" && matches!(configmap.text.as_str(), "configmap" | "cm") =>
        {
            name
        }
        _ => return,
    };
    let store = EnvStore::Kubernetes(name.text.clone());
    let mut stored = Vec::new();
    for (i, word) in args.iter().enumerate() {
        let literal = if word.text == "--from-literal" {
            args.get(i + 1).map(|next| (next, next.text.as_str()))
        } else {
            word.text
                .strip_prefix("--from-literal=")
                .map(|rest| (word, rest))
        };
        if let Some((word, text)) = literal {
            stored.extend(super::secrets::assignment(word, text, &store));
        }
    }
    invocation.env_stored = stored;
}
