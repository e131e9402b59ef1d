//! `--statistics`: how many findings each rule produced, most first.

use std::collections::BTreeMap;

use crate::findings::CheckResult;

/// `count  rule  severity` lines, most frequent first, then by rule id.
pub fn render(result: &CheckResult) -> String {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in result.files.iter().flat_map(|f| &f.findings) {
        *counts.entry((&f.rule, f.severity.name())).or_default() += 1;
    }
    let mut rows: Vec<((&str, &str), usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let width = rows
        .iter()
        .map(|((rule, _), _)| rule.len())
        .max()
        .unwrap_or(0);
    rows.iter()
        .map(|((rule, severity), count)| format!("{count:>5}  {rule:<width$}  {severity}\n"))
        .collect()
}
