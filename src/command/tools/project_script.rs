//! `uv run NAME` and `poetry run NAME`: NAME is a console script of pyproject.toml or any
//! program installed in the environment (`pytest`, `alembic`), so only a near miss of a
//! declared script is a mistake.

use super::task_runner::{Runner, TaskRun};
use crate::command::shell::Word;

/// The project script `uv run` or `poetry run` (the last launcher) may run.
pub(super) fn task_run(launchers: &[Word], words: &[Word]) -> Option<TaskRun> {
    let [.., tool, run] = launchers else {
        return None;
    };
    if run.text != "run" {
        return None;
    }
    let runner = match tool.text.as_str() {
        "uv" => Runner::Uv,
        "poetry" => Runner::Poetry,
        _ => return None,
    };
    let name = words.first()?;
    let text = name.text.as_str();
    if text.is_empty()
        || text.starts_with('-')
        || text.contains(['/', '.', '$', '<', '{', '[', '='])
    {
        return None; // a file, an option or a placeholder
    }
    Some(TaskRun {
        runner,
        dir: None,
        file: None,
        targets: vec![name.clone()],
        typos_only: true,
    })
}

#[cfg(test)]
mod tests {
    use crate::command::parse;

    fn script(line: &str) -> Option<String> {
        let command = parse(line);
        let run = command.invocation()?.tasks.clone()?;
        Some(run.targets.first()?.text.clone())
    }

    #[test]
    fn names_after_uv_run_and_poetry_run() {
        assert_eq!(script("uv run shop-admin sync"), Some("shop-admin".into()));
        assert_eq!(
            script("poetry run alembic upgrade head"),
            Some("alembic".into())
        );
        assert_eq!(script("uv run python x.py"), None);
        assert_eq!(script("uv run ./bin/x"), None);
        assert_eq!(script("pipenv run x"), None);
    }
}
