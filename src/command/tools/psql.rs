//! SQL clients (`psql`, `mysql`, `sqlite3`, `mariadb`, `cockroach`): the words that may carry
//! SQL (`psql -c "DROP TABLE x"`, `sqlite3 app.db "DELETE FROM x"`).

use crate::command::invocation::Invocation;
use crate::command::shell::Word;

/// Adds the SQL script `psql -f x.sql` (`--file=x.sql`) runs.
pub(super) fn understand(invocation: &mut Invocation) {
    if invocation.name() != "psql" {
        return;
    }
    let args = invocation.args();
    let found = super::files_read_by(args, &["-f", "--file"]);
    invocation.files_read.extend(found);
}

/// Every argument: SQL may be an option's value or a positional, and text that is not SQL
/// matches no SQL pattern.
pub(super) fn sql_words(words: &[Word]) -> Vec<Word> {
    words.get(1..).unwrap_or(&[]).to_vec()
}
