fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let doc = runbook_lint::document::Document::parse(&text, &Default::default());
    let index = runbook_lint::span::LineIndex::new(&text);
    for r in &doc.env_refs {
        let loc = index.locate(&text, r.span);
        println!(
            "{}:{} {} {:?} {:?} opt={} val={:?}",
            loc.line,
            loc.column,
            r.name,
            r.kind,
            r.context,
            r.optional,
            r.value.as_ref().map(|v| &v.0)
        );
    }
}
