use super::Cx;

declare_rule! {
    /// ## What it does
    /// Finds checklist items with no text: `- [ ]` alone on its line.
    ///
    /// ## Why is this bad?
    /// An empty box is a step someone meant to write and did not; whoever follows the runbook
    /// cannot know what to check, and ticks it anyway.
    ///
    /// ## Example
    /// ```markdown
    /// - [ ] Take a database snapshot
    /// - [ ]
    /// - [ ] Deploy
    /// ```
    ///
    /// Use instead: write the step, or delete the item.
    pub struct EmptyChecklistItem {
        id: "empty-checklist-item",
        severity: Warning,
        summary: "a checklist item with no text",
    }
}

impl EmptyChecklistItem {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        for item in &cx.doc.checklist {
            if item.text.trim().is_empty() {
                cx.report(item.marker, "checklist item has no text")
                    .help("write the step it stands for, or remove it");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, project};

    #[test]
    fn finds_empty_items_only() {
        let markdown = "# Go-live\n\n- [ ] Snapshot\n- [ ]\n- [x] Deploy\n- [ ] \n";
        let found = check(&EmptyChecklistItem, markdown, &project(&[], &[]));
        let lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![4, 6], "{found:?}");
    }
}
