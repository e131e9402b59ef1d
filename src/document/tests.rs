use super::*;

fn parse(text: &str) -> Document {
    Document::parse(text, &ParseOptions::default())
}

#[test]
fn empty_file_has_only_the_preamble() {
    let doc = parse("");
    assert_eq!(doc.sections.len(), 1);
    assert!(doc.commands.is_empty());
}

#[test]
fn headings_form_a_tree_with_unique_anchors() {
    let doc = parse("# Deploy\n## Steps\n## Steps\n### Rollback `now`\n# Contacts & Owners\n");
    let titles: Vec<(&str, &str, Option<usize>)> = doc
        .sections
        .iter()
        .skip(1)
        .map(|s| (s.title.as_str(), s.anchor.as_str(), s.parent))
        .collect();
    assert_eq!(
        titles,
        vec![
            ("Deploy", "deploy", Some(0)),
            ("Steps", "steps", Some(1)),
            ("Steps", "steps-1", Some(1)),
            ("Rollback now", "rollback-now", Some(3)),
            ("Contacts & Owners", "contacts--owners", Some(0)),
        ]
    );
}

#[test]
fn nested_checklists_keep_text_state_and_depth() {
    let doc = parse("- [ ] first\n  - [x] nested `pnpm test`\n- [ ]\n- plain\n");
    let items: Vec<(&str, bool, usize)> = doc
        .checklist
        .iter()
        .map(|c| (c.text.as_str(), c.checked, c.depth))
        .collect();
    assert_eq!(
        items,
        vec![
            ("first", false, 1),
            ("nested pnpm test", true, 2),
            ("", false, 1)
        ]
    );
}

#[test]
fn code_inside_list_items_keeps_offsets() {
    let text = "1. Build\n   ```bash\n   pnpm build && \\\n     pnpm test:e2e\n   ```\n";
    let doc = parse(text);
    let argv: Vec<String> = doc.commands.iter().map(|c| c.text()).collect();
    assert_eq!(argv, vec!["pnpm build", "pnpm test:e2e"]);
    let second = &doc.commands[1];
    assert_eq!(&text[second.word_span(1).range()], "test:e2e");
}

#[test]
fn tilde_fences_and_indented_code() {
    let doc = parse("~~~sh\nmake deploy\n~~~\n\nText:\n\n    make indented\n");
    assert_eq!(doc.code_blocks.len(), 2);
    assert!(doc.code_blocks[1].indented);
    let argv: Vec<String> = doc.commands.iter().map(|c| c.text()).collect();
    assert_eq!(argv, vec!["make deploy", "make indented"]);
}

#[test]
fn crlf_text_is_handled() {
    let text = "# Deploy\r\n\r\n```bash\r\npnpm db:deploy\r\n```\r\n";
    let doc = parse(text);
    assert_eq!(doc.sections[1].title, "Deploy");
    assert_eq!(doc.commands[0].text(), "pnpm db:deploy");
    assert_eq!(&text[doc.commands[0].span.range()], "pnpm db:deploy");
}

#[test]
fn front_matter_is_skipped() {
    let doc = parse("---\ntitle: TODO\nowner: TBD\n---\n# Real\n");
    assert!(doc.front_matter.is_some());
    assert!(doc.text_blocks.iter().all(|b| !b.text.contains("TBD")));
    assert_eq!(doc.sections[1].title, "Real");
}

#[test]
fn prompts_output_and_comments() {
    let doc =
        parse("```console\n$ pnpm test\nPASS all\n> done\n# pnpm db:reset\n$ make x # y\n```\n");
    let argv: Vec<String> = doc.commands.iter().map(|c| c.text()).collect();
    assert_eq!(argv, vec!["pnpm test", "make x"]);
}

#[test]
fn heredoc_bodies_are_skipped() {
    let doc = parse("```bash\ncat <<EOF > x.env\npnpm not-a-command\nEOF\nmake after\n```\n");
    let argv: Vec<String> = doc.commands.iter().map(|c| c.text()).collect();
    assert_eq!(argv, vec!["cat", "make after"]);
}

#[test]
fn cd_is_remembered() {
    let doc =
        parse("```bash\ncd apps/api && pnpm migrate\npnpm seed\ncd ../web\npnpm build\n```\n");
    let dirs: Vec<WorkDir> = doc.commands.iter().map(|c| c.cwd.clone()).collect();
    assert_eq!(
        dirs,
        vec![
            WorkDir::Relative("apps/api".into()),
            WorkDir::Relative("apps/api".into()),
            WorkDir::Relative("apps/api".into()),
            WorkDir::Relative("apps/web".into()),
            WorkDir::Relative("apps/web".into()),
        ]
    );
}

#[test]
fn inline_code_commands_need_a_known_program() {
    let doc = parse("Run `pnpm test:auth`, then check `docker` and `FOO_BAR` and `./deploy.sh`.\n");
    let argv: Vec<String> = doc.commands.iter().map(|c| c.text()).collect();
    assert_eq!(argv, vec!["pnpm test:auth", "./deploy.sh"]);
}

#[test]
fn unlabelled_blocks_count_only_when_they_look_like_commands() {
    let doc = parse("```\npnpm install\npnpm build\n```\n\n```\nsome: yaml\nother: value\n```\n");
    assert_eq!(doc.commands.len(), 2);
    assert!(doc.code_blocks[0].is_shell);
    assert!(!doc.code_blocks[1].is_shell);
}

#[test]
fn context_comes_from_headings_and_markers() {
    let text = "# Phase 3: Production Deployment\n## Migrate\n```bash\npnpm db:migrate\n```\n# Local development\n```bash\npnpm db:migrate\n```\n# Notes\n<!-- runbook-lint env=staging -->\n```bash\npnpm x\n```\n";
    let doc = parse(text);
    let contexts: Vec<EnvContext> = doc.commands.iter().map(|c| c.context).collect();
    assert_eq!(
        contexts,
        vec![
            EnvContext::Production,
            EnvContext::Development,
            EnvContext::Staging
        ]
    );
}

#[test]
fn tables_links_and_comments() {
    let text = "| Role | Contact |\n|---|---|\n| On-call | [TBD] |\n| Lead | |\n\nSee [rollback](./rollback.md#steps) <!-- note -->\n\n[ref]: other.md\n\n[ref]\n";
    let doc = parse(text);
    let table = &doc.tables[0];
    assert_eq!(table.header[1].text, "Contact");
    assert_eq!(table.rows[0][1].text, "[TBD]");
    assert_eq!(table.rows[1][1].text, "");
    assert_eq!(doc.links[0].dest, "./rollback.md#steps");
    assert!(doc.links[1].reference);
    assert_eq!(doc.html_comments[0].body, "note");
}

#[test]
fn survives_deep_nesting() {
    let text = "> ".repeat(2000) + "x\n" + &"- ".repeat(2000) + "y\n";
    let doc = parse(&text);
    assert!(!doc.text_blocks.is_empty());
}

#[test]
fn compound_commands_and_prose_in_shell_blocks() {
    let doc = parse("```bash\nif grep -q x f; then\n  make deploy\nfi\nfor s in a b; do echo $s; done\n- a bullet\nspec:\n1. step\n```\n");
    let argv: Vec<String> = doc.commands.iter().map(|c| c.text()).collect();
    assert_eq!(argv, vec!["grep -q x f", "make deploy", "echo $s"]);
}

#[test]
fn quoted_strings_may_span_lines() {
    let text = "```bash\npsql \"$DB\" -c \"\n  SELECT 1;\n  DELETE FROM x;\n\"\necho don't\nmake after\n```\n";
    let doc = parse(text);
    let programs: Vec<&str> = doc.commands.iter().filter_map(|c| c.program()).collect();
    assert_eq!(programs, vec!["psql", "echo", "make"]);
    assert!(doc.commands[0].words[3].text.contains("DELETE FROM x;"));
}

/// Found by tests/it/fuzz.rs: pulldown-cmark splits code text at lone `\r`s and drops some, so
/// code lines claimed to be exact file bytes at a wrong offset.
#[test]
fn lone_carriage_returns_end_code_lines() {
    for text in [
        "```bash\n\r\r#",
        "```bash\na\rb\r\nc\n```\n",
        "```\npnpm x\rpnpm y\n```\n",
    ] {
        let doc = parse(text);
        for line in doc.code_blocks.iter().flat_map(|c| &c.lines) {
            if line.exact {
                assert_eq!(
                    &text[line.offset..line.offset + line.text.len()],
                    line.text,
                    "{text:?}"
                );
            }
            assert!(!line.text.contains('\r'), "{text:?}: {line:?}");
        }
    }
    // A CR that pulldown-cmark drops between two text events still ends the line.
    let doc = parse("```bash\n\u{11288}\ra");
    let lines: Vec<&str> = doc.code_blocks[0]
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(lines, vec!["\u{11288}", "a"]);
    let doc = parse("```\npnpm x\rpnpm y\n```\n");
    let argv: Vec<Vec<&str>> = doc.commands.iter().map(|c| c.argv()).collect();
    assert_eq!(argv, vec![vec!["pnpm", "x"], vec!["pnpm", "y"]]);
}

#[test]
fn a_command_that_targets_an_environment_takes_it_under_silent_headings() {
    let doc = parse(
        "# Runbook\n\n## Apply\n\n```bash\nheroku run -a shop-production rails db:migrate\nkubectl --context prod-eks apply -f k8s/\nRAILS_ENV=production bin/rails db:migrate\nkubectl -n staging rollout restart deploy/web\nfly deploy\nssh deploy@prod-web1\nsystemctl restart app\n```\n\n## Local development\n\n`kubectl -n production get pods`\n",
    );
    let contexts: Vec<(String, EnvContext)> =
        doc.commands.iter().map(|c| (c.text(), c.context)).collect();
    let of = |text: &str| contexts.iter().find(|(t, _)| t == text).unwrap().1;
    assert_eq!(
        of("heroku run -a shop-production rails db:migrate"),
        EnvContext::Production
    );
    assert_eq!(
        of("kubectl --context prod-eks apply -f k8s/"),
        EnvContext::Production
    );
    assert_eq!(of("bin/rails db:migrate"), EnvContext::Production);
    assert_eq!(
        of("kubectl -n staging rollout restart deploy/web"),
        EnvContext::Staging
    );
    assert_eq!(of("fly deploy"), EnvContext::Unknown);
    // The lines after `ssh prod-web1` run on that host.
    assert_eq!(of("systemctl restart app"), EnvContext::Production);
    // A heading that names an environment wins over the command's target.
    assert_eq!(
        of("kubectl -n production get pods"),
        EnvContext::Development
    );
}
