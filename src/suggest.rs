//! "Did you mean": the names closest to a misspelt one, for the help of findings and errors
//! and for the fixes that rename. Below both the findings and the fixes, which use it.

/// The closest candidates to `word` by edit distance, best first, for "did you mean".
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| {
            let mut score = strsim::jaro_winkler(word, c);
            // `test:auth` vs `test:e2e`: a shared prefix up to a separator is a strong hint.
            if let (Some((a, _)), Some((b, _))) = (word.split_once(':'), c.split_once(':')) {
                if a == b {
                    score += 0.1;
                }
            }
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    // A near-exact match (`missing-scripts` → `missing-script`) hides the merely similar ones.
    let best = scored.first().map(|s| s.0).unwrap_or(0.0);
    let floor = if best >= 0.97 { best - 0.03 } else { 0.0 };
    scored
        .into_iter()
        .filter(|(score, _)| *score >= floor)
        .take(3)
        .map(|(_, c)| c)
        .collect()
}

/// "did you mean `a`?" / "did you mean `a` or `b`?", or `None`.
pub fn did_you_mean_text<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let close = did_you_mean(word, candidates);
    match close.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        [first, rest @ ..] => Some(format!(
            "did you mean `{first}`{}?",
            rest.iter()
                .map(|c| format!(" or `{c}`"))
                .collect::<String>()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let scripts = ["test", "test:e2e", "db:deploy", "build"];
        assert_eq!(did_you_mean("test:auth", scripts)[0], "test:e2e");
        assert_eq!(did_you_mean("biuld", scripts), vec!["build"]);
        assert!(did_you_mean("zzz", scripts).is_empty());
        assert_eq!(
            did_you_mean_text("db:deplyo", scripts).unwrap(),
            "did you mean `db:deploy`?"
        );
    }
}
