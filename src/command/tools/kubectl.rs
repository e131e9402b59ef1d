//! kubectl (and OpenShift's oc): `kubectl exec TARGET -- COMMAND` runs COMMAND in a pod; the
//! manifests `apply|create|replace|delete|diff -f|-k` read; the keys
//! `create secret|configmap NAME --from-literal=K=V` stores; options that take a value.

use super::{flag_values, Carrier};
use crate::command::invocation::{
    EnvStore, ExecLocation, FileArg, FileRole, Invocation, KubeRun, Runtime,
};
use crate::command::shell::Word;

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
    invocation.kube = kube_run(invocation.args());
}

/// The kind a resource type is written as (`deploy`, `deployments.apps`, `svc`), for the
/// kinds a repository's manifests define by name.
pub fn kind_of(resource: &str) -> Option<&'static str> {
    let resource = resource.split('.').next().unwrap_or(resource);
    Some(match resource.to_ascii_lowercase().as_str() {
        "deployment" | "deployments" | "deploy" => "Deployment",
        "statefulset" | "statefulsets" | "sts" => "StatefulSet",
        "daemonset" | "daemonsets" | "ds" => "DaemonSet",
        "cronjob" | "cronjobs" | "cj" => "CronJob",
        "job" | "jobs" => "Job",
        "service" | "services" | "svc" => "Service",
        "ingress" | "ingresses" | "ing" => "Ingress",
        "configmap" | "configmaps" | "cm" => "ConfigMap",
        "secret" | "secrets" => "Secret",
        "namespace" | "namespaces" | "ns" => "Namespace",
        _ => return None,
    })
}

/// Verbs whose `TYPE NAME...` or `TYPE/NAME` arguments name existing objects.
const NAMING_VERBS: &[&str] = &[
    "get",
    "describe",
    "delete",
    "edit",
    "scale",
    "patch",
    "annotate",
    "label",
    "wait",
    "autoscale",
    "expose",
    "set",
    "logs",
    "exec",
    "port-forward",
    "attach",
    "rollout",
    "create",
];

/// The objects and namespace of a kubectl command line.
fn kube_run(args: &[Word]) -> Option<KubeRun> {
    let positionals = super::secrets::positionals(args, VALUE_FLAGS);
    let verb = positionals.first()?.text.as_str();
    if !NAMING_VERBS.contains(&verb) {
        return None;
    }
    let namespace = args
        .windows(2)
        .find_map(|pair| match pair[0].text.as_str() {
            "-n" | "--namespace" => Some(pair[1].clone()),
            _ => pair[1].text.strip_prefix("--namespace=").map(|ns| Word {
                text: ns.to_string(),
                ..pair[1].clone()
            }),
        });
    let mut run = KubeRun {
        objects: Vec::new(),
        namespace,
        creates: verb == "create",
    };
    // `rollout restart deploy/x`, `set image deploy/x`: skip the sub-verb.
    let rest = match verb {
        "rollout" | "set" => positionals.get(2..).unwrap_or(&[]),
        _ => positionals.get(1..).unwrap_or(&[]),
    };
    let mut bare_kind: Option<&'static str> = None;
    for (i, word) in rest.iter().enumerate() {
        if let Some((resource, name)) = word.text.split_once('/') {
            if let Some(kind) = kind_of(resource) {
                if !name.is_empty() && !name.contains('/') {
                    let start = word.span.start + resource.len() + 1;
                    let span = if word.span.len() == word.text.len() {
                        crate::span::Span::new(start, word.span.end)
                    } else {
                        word.span
                    };
                    run.objects.push((
                        kind.to_string(),
                        Word {
                            text: name.to_string(),
                            span,
                            quoted: word.quoted,
                        },
                    ));
                }
            }
            continue;
        }
        match bare_kind {
            // `scale deployment api web`: every word after the type is a name (`create` takes
            // one; `create secret generic NAME` has a sub-type first).
            Some(kind) if !(run.creates && kind == "Secret" && i == 1) => {
                run.objects.push((kind.to_string(), (*word).clone()));
                if run.creates {
                    break;
                }
            }
            Some(_) => {}
            // Pods are named by their generated names: `logs NAME` is a pod; only a type
            // followed by names counts.
            None if i == 0 => match kind_of(&word.text) {
                Some(kind) => bare_kind = Some(kind),
                None => break,
            },
            None => break,
        }
    }
    Some(run)
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

#[cfg(test)]
mod tests {
    use crate::command::parse;

    fn objects(line: &str) -> Vec<(String, String)> {
        let command = parse(line);
        command
            .invocations
            .iter()
            .find_map(|i| i.kube.clone())
            .map(|k| {
                k.objects
                    .into_iter()
                    .map(|(kind, w)| (kind, w.text))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn objects_named_by_kubectl() {
        let one = |kind: &str, name: &str| (kind.to_string(), name.to_string());
        assert_eq!(
            objects("kubectl -n shop rollout restart deploy/api"),
            vec![one("Deployment", "api")]
        );
        assert_eq!(
            objects("kubectl rollout status deployment/api statefulset.apps/db -n shop"),
            vec![one("Deployment", "api"), one("StatefulSet", "db")]
        );
        assert_eq!(
            objects("kubectl exec -it deploy/worker -n shop -- rails c"),
            vec![one("Deployment", "worker")]
        );
        assert_eq!(
            objects("kubectl scale deployment api web --replicas=3"),
            vec![one("Deployment", "api"), one("Deployment", "web")]
        );
        assert_eq!(
            objects("kubectl create secret generic api-secrets --from-literal=A=1"),
            vec![one("Secret", "api-secrets")]
        );
        assert!(objects("kubectl logs api-7f9c-x2 -n shop").is_empty());
        assert!(objects("kubectl apply -f k8s/").is_empty());
        let command = parse("kubectl get pods --namespace=shop");
        assert_eq!(
            command
                .invocation()
                .unwrap()
                .kube
                .as_ref()
                .unwrap()
                .namespace
                .as_ref()
                .unwrap()
                .text,
            "shop"
        );
    }
}
