#!/usr/bin/env python3
"""Regenerates the vendored test data in this folder from local checkouts of its sources.

    python3 tests/data/vendor.py SLUGGER_CHECKOUT COMMONMARK_SPEC_CHECKOUT MARKDOWNLINT_CHECKOUT \
        SARIF_SPEC_CHECKOUT XUNIT_PLUGIN_CHECKOUT

Each argument is a git work tree (or bare mirror) of the repository named in README.md, at the
commit named there. Only data is taken: github-slugger's fixture list, the CommonMark spec's
examples (Markdown and expected HTML), markdownlint's test Markdown files, the OASIS SARIF
2.1.0 schema and the Jenkins xunit plugin's JUnit schema (both verbatim).
Standard library only.
"""
import json, os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))


def show(repo, path):
    return subprocess.run(["git", "-C", repo, "show", f"HEAD:{path}"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def head(repo):
    return subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()


def spec_examples(text):
    """The spec's examples, as its own `spec_tests.py --dump-tests` lists them."""
    examples, section, number = [], "", 0
    fence = "`" * 32
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        line = lines[i]
        heading = re.match(r"#+ +(.*)", line)
        if heading:
            section = heading.group(1).strip()
        if line.startswith(fence + " example"):
            markdown, html = [], []
            i += 1
            current = markdown
            while not lines[i].startswith(fence):
                if lines[i].strip() == ".":
                    current = html
                else:
                    current.append(lines[i])
                i += 1
            number += 1
            tab = lambda s: "".join(s).replace("\u2192", "\t")
            examples.append({"example": number, "section": section,
                             "markdown": tab(markdown), "html": tab(html)})
        i += 1
    return examples


SCHEMAS = (
    ("sarif/sarif-schema-2.1.0.json", "sarif-2.1/schema/sarif-schema-2.1.0.json"),
    ("xunit/junit-10.xsd",
     "src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd"),
)


def main(slugger, spec, markdownlint, sarif_spec, xunit):
    fixtures = show(slugger, "test/fixtures.json")
    with open(os.path.join(HERE, "github-slugger", "fixtures.json"), "w", encoding="utf-8") as f:
        f.write(fixtures)
    examples = spec_examples(show(spec, "spec.txt"))
    with open(os.path.join(HERE, "commonmark", "spec-examples.json"), "w", encoding="utf-8") as f:
        json.dump(examples, f, ensure_ascii=False, indent=0)
        f.write("\n")
    names = subprocess.run(["git", "-C", markdownlint, "ls-tree", "--name-only", "HEAD", "test/"],
                           check=True, capture_output=True, text=True).stdout.split()
    files = [{"path": n, "text": show(markdownlint, n)} for n in sorted(names) if n.endswith(".md")]
    with open(os.path.join(HERE, "markdownlint", "test-markdown.json"), "w", encoding="utf-8") as f:
        json.dump(files, f, ensure_ascii=False, indent=0)
        f.write("\n")
    for (target, path), repo in zip(SCHEMAS, (sarif_spec, xunit)):
        with open(os.path.join(HERE, target), "w", encoding="utf-8", newline="") as f:
            f.write(show(repo, path))
    for name, repo in (("github-slugger", slugger), ("commonmark-spec", spec),
                       ("markdownlint", markdownlint), ("sarif-spec", sarif_spec),
                       ("xunit-plugin", xunit)):
        print(f"{name}: {head(repo)}")
    print(f"{len(examples)} spec examples, {len(files)} markdownlint files")


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(*sys.argv[1:])
