//! SQL clients (`psql`, `mysql`, `sqlite3`, `mariadb`, `cockroach`): the words that may carry
//! SQL (`psql -c "DROP TABLE x"`, `sqlite3 app.db "DELETE FROM x"`).

use super::flag_values;
use crate::command::invocation::{FileArg, FileRole, Invocation};
use crate::command::shell::Word;

/// Adds the SQL script `psql -f x.sql` (`--file=x.sql`) runs.
pub(super) fn understand(invocation: &mut Invocation) {
    if invocation.name() != "psql" {
        return;
    }
    let args = invocation.args();
    let mut found: Vec<FileArg> = flag_values(args, &["-f", "--file"])
        .into_iter()
        .map(|w| FileArg {
            word: w.clone(),
            role: FileRole::Reads,
        })
        .collect();
    for word in args {
        if let Some(value) = word.text.strip_prefix("--file=") {
            let mut word = word.clone();
            word.text = value.to_string();
            found.push(FileArg {
                word,
                role: FileRole::Reads,
            });
        }
    }
    invocation.files_read.extend(found);
}

/// Every argument: SQL may be an option's value or a positional, and text that is not SQL
/// matches no SQL pattern.
pub(super) fn sql_words(words: &[Word]) -> Vec<Word> {
    words.get(1..).unwrap_or(&[]).to_vec()
}
