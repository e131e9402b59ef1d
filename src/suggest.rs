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

/// What a memoized computation is (its results are not interchangeable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoKind {
    /// [`did_you_mean`].
    DidYouMean,
    /// `fix::closest`.
    Closest,
}

/// One remembered computation: its inputs, its result and the budget it spent.
struct MemoEntry {
    kind: MemoKind,
    word: Box<str>,
    candidates: Box<[Box<str>]>,
    result: Vec<u32>,
    spent: usize,
}

/// Entries a thread remembers before it starts over (a bound on memory, not a tuning knob).
const MEMO_ENTRIES: usize = 8192;

thread_local! {
    /// Did-you-means already worked out on this thread, by a hash of their inputs: the same
    /// misspelt script against the same package comes back in file after file.
    static MEMO: std::cell::RefCell<std::collections::HashMap<u64, Vec<MemoEntry>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn memo_hash(kind: MemoKind, word: &str, candidates: &[&str]) -> u64 {
    // FNV-1a: short strings, no DoS concern (the inputs are the user's own files).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ kind as u64;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        hash = (hash ^ 0xff).wrapping_mul(0x0100_0000_01b3);
    };
    eat(word.as_bytes());
    for candidate in candidates {
        eat(candidate.as_bytes());
    }
    hash
}

/// `compute` (a did-you-mean of `word` among `candidates`, encoded as numbers), remembered:
/// the same inputs give the same result and spend the same budget, so a remembered answer is
/// exactly the computed one. Only used when `budget_needed` is left, the most the computation
/// can spend: then the budget never cuts it short and its result depends on the inputs alone.
pub fn memoized(
    kind: MemoKind,
    word: &str,
    candidates: &[&str],
    budget_needed: usize,
    compute: impl FnOnce() -> Vec<u32>,
) -> Vec<u32> {
    if suggestion_budget_left() < budget_needed {
        return compute();
    }
    let hash = memo_hash(kind, word, candidates);
    let same = |entry: &MemoEntry| {
        entry.kind == kind
            && &*entry.word == word
            && entry.candidates.len() == candidates.len()
            && entry
                .candidates
                .iter()
                .zip(candidates)
                .all(|(a, b)| &**a == *b)
    };
    let hit = MEMO.with(|memo| {
        memo.borrow()
            .get(&hash)
            .and_then(|entries| entries.iter().find(|e| same(e)))
            .map(|e| (e.result.clone(), e.spent))
    });
    if let Some((result, spent)) = hit {
        SUGGESTION_BUDGET.with(|budget| budget.set(budget.get().saturating_sub(spent)));
        return result;
    }
    let before = suggestion_budget_left();
    let result = compute();
    let spent = before - suggestion_budget_left();
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if memo.len() >= MEMO_ENTRIES {
            memo.clear();
        }
        memo.entry(hash).or_default().push(MemoEntry {
            kind,
            word: word.into(),
            candidates: candidates.iter().map(|c| Box::from(*c)).collect(),
            result: result.clone(),
            spent,
        });
    });
    result
}

/// The closest candidates to `word` by edit distance, best first, for "did you mean".
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    if word.len() > SUGGESTION_MAX_BYTES {
        return Vec::new();
    }
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    // Each candidate compared costs one unit of the budget.
    let compared = candidates
        .iter()
        .filter(|c| **c != word && c.len() <= SUGGESTION_MAX_BYTES)
        .count();
    memoized(MemoKind::DidYouMean, word, &candidates, compared, || {
        did_you_mean_uncached(word, &candidates)
            .into_iter()
            .map(|i| i as u32)
            .collect()
    })
    .into_iter()
    .map(|i| candidates[i as usize])
    .collect()
}

/// [`did_you_mean`] computed, as indexes into `candidates`.
fn did_you_mean_uncached(word: &str, candidates: &[&str]) -> Vec<usize> {
    let mut scored: Vec<(f64, usize, &str)> = candidates
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, c)| *c != word && c.len() <= SUGGESTION_MAX_BYTES)
        .take_while(|_| spend_suggestion_budget())
        .map(|(i, c)| {
            let mut score = strsim::jaro_winkler(word, c);
            // `test:auth` vs `test:e2e`: a shared prefix up to a separator is a strong hint.
            if let (Some((a, _)), Some((b, _))) = (word.split_once(':'), c.split_once(':')) {
                if a == b {
                    score += 0.1;
                }
            }
            (score, i, c)
        })
        .filter(|(score, _, _)| *score >= 0.8)
        .collect();
    // Equal names sort by position, so the index kept is the first one's, as before.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(b.2)).then(a.1.cmp(&b.1)));
    // A near-exact match (`missing-scripts` → `missing-script`) hides the merely similar ones.
    let best = scored.first().map(|s| s.0).unwrap_or(0.0);
    let floor = if best >= 0.97 { best - 0.03 } else { 0.0 };
    scored
        .into_iter()
        .filter(|(score, _, _)| *score >= floor)
        .take(3)
        .map(|(_, i, _)| i)
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
