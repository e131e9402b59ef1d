use std::collections::BTreeSet;

use super::Cx;
use crate::diagnostic::did_you_mean_text;

declare_rule! {
    /// ## What it does
    /// Checks that the Deployments, StatefulSets, DaemonSets, CronJobs, Services and
    /// Ingresses a `kubectl` command names (`rollout restart deploy/api`, `exec
    /// deploy/worker --`, `scale deployment api`, `logs sts/db`) are defined by the
    /// repository's Kubernetes manifests, and that a `-n` namespace that is one letter off
    /// a namespace the manifests use is flagged.
    ///
    /// It judges a kind only when the repository defines objects of that kind by literal
    /// names: it stays silent for kinds a Helm template or a variable names
    /// (`{{ .Release.Name }}-api`), for names a kustomization prefixes or suffixes, for
    /// objects the runbook creates or shows (`kubectl create deployment x`, a `name: x` in the
    /// runbook), and for pods (their names are generated).
    ///
    /// ## Why is this bad?
    /// Restarting `deploy/api-server` fails with `deployments.apps "api-server" not found`
    /// when the manifest calls it `api`: the restart that was meant to end the incident does
    /// nothing.
    ///
    /// ## Example
    /// ```markdown
    /// kubectl -n shop rollout restart deploy/api-server
    /// ```
    ///
    /// Use instead (the name k8s/api.yaml gives the Deployment):
    /// ```markdown
    /// kubectl -n shop rollout restart deploy/api
    /// ```
    pub struct UnknownKubernetesObject {
        id: "unknown-kubernetes-object",
        severity: Error,
        summary: "a kubectl command names a workload or service no Kubernetes manifest defines",
    }
}

/// Kinds judged by name: workloads and what routes to them (Secrets and ConfigMaps are often
/// made outside manifests, Jobs from CronJobs, Pods by controllers).
const JUDGED_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "CronJob",
    "Service",
    "Ingress",
];

impl UnknownKubernetesObject {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let kube = &cx.project.kubernetes;
        if kube.objects.is_empty() {
            return;
        }
        let created: BTreeSet<&str> = cx
            .doc
            .commands
            .iter()
            .flat_map(|c| &c.invocations)
            .filter_map(|i| i.kube.as_ref())
            .filter(|k| k.creates)
            .flat_map(|k| k.objects.iter().map(|(_, w)| w.text.as_str()))
            .collect();
        for command in &cx.doc.commands {
            let Some(run) = command
                .invocations
                .iter()
                .filter(|i| i.is_local())
                .find_map(|i| i.kube.as_ref())
            else {
                continue;
            };
            if run.creates {
                continue;
            }
            for (kind, word) in &run.objects {
                let name = word.text.as_str();
                if !JUDGED_KINDS.contains(&kind.as_str())
                    || kube.templated_kinds.contains(kind)
                    || created.contains(name)
                    || name.contains(['$', '<', '{', '[', '*', '`', '('])
                {
                    continue;
                }
                let names = kube.names_of(kind);
                if names.is_empty() || names.contains(&name) {
                    continue;
                }
                if kube.renames && names.iter().any(|n| name.contains(n)) {
                    continue;
                }
                // A manifest the runbook shows (`kubectl apply -f - <<EOF ... name: x`).
                if cx.source.contains(&format!("name: {name}")) {
                    continue;
                }
                let files: BTreeSet<&str> = kube
                    .objects
                    .iter()
                    .filter(|o| &o.kind == kind)
                    .map(|o| o.file.as_str())
                    .collect();
                let listed: Vec<String> = names.iter().take(20).map(|n| format!("`{n}`")).collect();
                let available = format!("{kind}s: {}", listed.join(", "));
                let help = match did_you_mean_text(name, names.iter().copied()) {
                    Some(hint) => format!("{hint} ({available})"),
                    None => available,
                };
                let fix = crate::fix::did_you_mean_fix(cx.source, word.span, name, &names);
                let first = files.iter().next().copied().unwrap_or("");
                let shown: Vec<&str> = files.iter().take(3).copied().collect();
                let more = files.len().saturating_sub(shown.len());
                let where_ = if more > 0 {
                    format!("{} and {more} more", shown.join(", "))
                } else {
                    shown.join(", ")
                };
                cx.report(
                    word.span,
                    format!("{kind} `{name}` is not defined in {where_}"),
                )
                .label(format!("no such {kind}"))
                .help(help)
                .fix(fix)
                .checked(first);
            }
            if let Some(ns) = &run.namespace {
                let name = ns.text.as_str();
                if kube.namespaces.is_empty()
                    || kube.namespaces.contains(name)
                    || name.contains(['$', '<', '{'])
                {
                    continue;
                }
                let known: Vec<&str> = kube.namespaces.iter().map(String::as_str).collect();
                // Only a near miss is judged: clusters hold namespaces no manifest names.
                let Some((close, _)) = crate::fix::closest(name, &known) else {
                    continue;
                };
                let close = close.to_string();
                let fix = crate::fix::did_you_mean_fix(cx.source, ns.span, name, &known);
                cx.report(
                    ns.span,
                    format!("namespace `{name}` is not used by the Kubernetes manifests"),
                )
                .label("no such namespace in the manifests")
                .help(format!("did you mean `{close}`?"))
                .fix(fix);
            }
        }
    }
}
