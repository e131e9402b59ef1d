//! "Did you mean": the names closest to a misspelt one, for the help of findings and errors
//! and for the fixes that rename, within a per-file budget of comparisons. Below both the
//! findings and the fixes, which use it.

/// Longest word or candidate a did-you-mean compares (a similarity costs the product of
/// both lengths).
const SUGGESTION_MAX_BYTES: usize = 256;

/// Comparisons the did-you-means of one file may make in total: 20 000 broken anchors against
/// 5 000 headings took 56 s. A typical runbook uses a few hundred; past the budget, findings
/// keep their plain help.
pub const SUGGESTION_BUDGET_PER_FILE: usize = 250_000;

thread_local! {
    /// Comparisons left on this thread (unbounded outside [`with_suggestion_budget`]).
    static SUGGESTION_BUDGET: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

/// Runs `work` (one file's rules) with `budget` did-you-mean comparisons; a file is linted on
/// one thread, so the budget is deterministic whatever the thread count.
pub fn with_suggestion_budget<T>(budget: usize, work: impl FnOnce() -> T) -> T {
    let previous = SUGGESTION_BUDGET.with(|b| b.replace(budget));
    let out = work();
    SUGGESTION_BUDGET.with(|b| b.set(previous));
    out
}

/// Comparisons left in this thread's budget.
pub fn suggestion_budget_left() -> usize {
    SUGGESTION_BUDGET.with(|budget| budget.get())
}

/// Takes one comparison from this thread's budget; false when it is spent.
pub fn spend_suggestion_budget() -> bool {
    SUGGESTION_BUDGET.with(|budget| {
        let left = budget.get();
        budget.set(left.saturating_sub(1));
        left > 0
    })
}

/// The closest candidates to `word` by edit distance, best first, for "did you mean".
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    if word.len() > SUGGESTION_MAX_BYTES {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter(|c| *c != word && c.len() <= SUGGESTION_MAX_BYTES)
        .take_while(|_| spend_suggestion_budget())
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

    #[test]
    fn suggestions_stop_at_the_budget() {
        let scripts = ["test", "test:e2e", "build"];
        assert_eq!(
            with_suggestion_budget(3, || did_you_mean("biuld", scripts)),
            vec!["build"]
        );
        assert!(with_suggestion_budget(2, || did_you_mean("biuld", scripts)).is_empty());
        assert!(did_you_mean(&"x".repeat(300), scripts).is_empty());
        // Outside a budget, unbounded.
        assert_eq!(did_you_mean("biuld", scripts), vec!["build"]);
    }
}
