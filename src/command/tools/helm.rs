//! Helm: options that take a value; the chart directory and values files a release reads.

/// helm options that take a value.
pub(super) const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "--kube-context",
    "-f",
    "--values",
    "--set",
    "--version",
    "-o",
    "--output",
    "--set-string",
    "--set-file",
    "--set-json",
    "--timeout",
    "--repo",
    "--description",
    "--history-max",
    "--kubeconfig",
    "--post-renderer",
    "--username",
    "--password",
];

use crate::command::invocation::{FileArg, FileRole, Invocation};
use crate::command::shell::Word;

/// Subcommands whose first positionals are `[RELEASE] CHART`.
const CHART_AFTER_RELEASE: &[&str] = &["upgrade", "install", "template"];

/// Subcommands whose first positional is a chart.
const CHART_FIRST: &[&str] = &["lint", "package", "show", "dependency", "dep"];

/// The chart directory and values files `helm upgrade|install|template|lint` reads. A chart
/// is a local directory only when written as a path (`./charts/api`, `deploy/helm/api`):
/// `bitnami/redis` names a chart in a repository, `oci://...` a registry.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args();
    let Some(subcommand) = args.first().map(|w| w.text.as_str()) else {
        return;
    };
    let mut found: Vec<FileArg> = super::flag_values(args, &["-f", "--values"])
        .into_iter()
        .filter(|w| !w.text.contains("://") && w.text != "-")
        .map(|w| FileArg {
            word: w.clone(),
            role: FileRole::HelmValues,
        })
        .collect();
    for word in args {
        if let Some(value) = word.text.strip_prefix("--values=") {
            found.push(FileArg {
                word: Word {
                    text: value.to_string(),
                    ..word.clone()
                },
                role: FileRole::HelmValues,
            });
        }
    }
    let positionals = super::secrets::positionals(args, VALUE_FLAGS);
    let chart = if CHART_AFTER_RELEASE.contains(&subcommand) {
        // `helm install --generate-name CHART` has no release name.
        let generated = args
            .iter()
            .any(|w| w.text == "--generate-name" || w.text == "-g");
        positionals.get(if generated { 1 } else { 2 })
    } else if CHART_FIRST.contains(&subcommand) {
        let skip = if matches!(subcommand, "dependency" | "dep" | "show") {
            2
        } else {
            1
        };
        positionals.get(skip)
    } else {
        None
    };
    if let Some(chart) = chart.filter(|w| is_chart_path(&w.text)) {
        found.push(FileArg {
            word: (*chart).clone(),
            role: FileRole::HelmChart,
        });
    }
    invocation.files_read.extend(found);
}

/// `./chart`, `../x`, `/abs`, `.`, or a path of three or more parts (`deploy/helm/api`); not
/// `repo/chart`, a URL or a packaged `.tgz` from elsewhere.
fn is_chart_path(text: &str) -> bool {
    if text.contains("://") || text.is_empty() {
        return false;
    }
    text == "."
        || text.starts_with("./")
        || text.starts_with("../")
        || text.trim_end_matches('/').matches('/').count() >= 2
}

#[cfg(test)]
mod tests {
    use crate::command::{parse, FileRole};

    fn read(line: &str) -> Vec<(String, FileRole)> {
        parse(line)
            .invocation()
            .unwrap()
            .files_read
            .iter()
            .map(|f| (f.word.text.clone(), f.role))
            .collect()
    }

    #[test]
    fn local_charts_and_values_files() {
        assert_eq!(
            read("helm upgrade --install api ./charts/api -n prod -f charts/api/values-prod.yaml --values=ci.yaml"),
            vec![
                ("charts/api/values-prod.yaml".to_string(), FileRole::HelmValues),
                ("ci.yaml".to_string(), FileRole::HelmValues),
                ("./charts/api".to_string(), FileRole::HelmChart),
            ]
        );
        assert_eq!(
            read("helm upgrade --install cache bitnami/redis -f values.yaml"),
            vec![("values.yaml".to_string(), FileRole::HelmValues)]
        );
        assert!(
            read("helm install db oci://registry-1.docker.io/bitnamicharts/postgresql").is_empty()
        );
        assert_eq!(
            read("helm lint deploy/helm/api"),
            vec![("deploy/helm/api".to_string(), FileRole::HelmChart)]
        );
    }
}
