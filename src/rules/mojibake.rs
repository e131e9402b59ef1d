use super::Cx;
use crate::fix::{Applicability, Edit, Fix};
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Finds double-encoded text: UTF-8 that some tool read as Windows-1252 and saved again,
    /// so `’` became `â€™`, `é` became `Ã©`, `✅` became `âœ…` and a box-drawing tree
    /// became `â”œâ”€â”€`. It reports each line once, shows the line as it should read, and
    /// offers the repair as a safe fix (`runbook-lint check --fix`).
    ///
    /// Only sequences that turn back into valid UTF-8 are reported (each character read as
    /// its Windows-1252 byte, the five bytes Windows-1252 leaves undefined read as Latin-1, the
    /// bytes decoded strictly), and only when the result is a character such text is made
    /// of: accented Latin letters, punctuation, symbols, box drawing, emoji. A Greek,
    /// Cyrillic, Hebrew, Arabic or CJK repair needs two sequences in a row, so an accented
    /// capital followed by a quote (`„STRASSE“` in German, `“PÅ”` in Swedish) is not taken
    /// for one. Not checked, since that is where a document shows broken text on purpose:
    /// inline code, code blocks in a programming language (`js`, `python`...; shell, text and
    /// unlabelled blocks are checked), and lines that talk about encodings (`latin1`,
    /// `Windows-1252`, `encoding`, `mojibake`).
    ///
    /// ## Why is this bad?
    /// The runbook reads as noise exactly where it matters (`Donâ€™t run this in
    /// production`), commands copied from it carry the garbage, and search for the real
    /// words finds nothing. It happens when a runbook is pasted between a wiki, a ticket and
    /// an editor that guessed the encoding.
    ///
    /// ## Example
    /// ```markdown
    /// - [ ] Donâ€™t restart the primary â€” fail over first âœ…
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// - [ ] Don’t restart the primary — fail over first ✅
    /// ```
    pub struct Mojibake {
        id: "mojibake",
        severity: Warning,
        summary: "double-encoded text (UTF-8 read as Windows-1252): `â€™` for `’`",
    }
}

impl Mojibake {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let source = cx.source;
        let doc = cx.doc;
        // Plain ASCII text cannot hold any: the common case costs one scan.
        if source.is_ascii() {
            return;
        }
        let mut line_start = 0;
        for line in source.split_inclusive('\n') {
            let start = line_start;
            line_start += line.len();
            if line.is_ascii() || mentions_encoding(line) {
                continue;
            }
            let repairs: Vec<Repair> = find(line)
                .into_iter()
                .map(|r| Repair {
                    span: Span::new(start + r.span.start, start + r.span.end),
                    ..r
                })
                .filter(|r| !doc.inline_code.iter().any(|c| c.span.contains(r.span)))
                .filter(|r| {
                    !doc.code_blocks.iter().any(|b| {
                        b.span.contains(r.span)
                            && !b.is_shell
                            && !TEXT_LANGUAGES.contains(&b.lang.to_ascii_lowercase().as_str())
                    })
                })
                .collect();
            let (Some(first), Some(last)) = (repairs.first(), repairs.last()) else {
                continue;
            };
            report(cx, line, start, &repairs, first, last);
        }
    }
}

/// Code block languages whose text is prose, output or a drawing; a program's source
/// (```js```, ```python```) may print broken text on purpose, as encoding docs do.
const TEXT_LANGUAGES: &[&str] = &[
    "",
    "text",
    "txt",
    "plain",
    "plaintext",
    "console",
    "output",
    "log",
    "markdown",
    "md",
    "tree",
    "diff",
];

/// True for a line about encodings, which may show double-encoded text on purpose.
fn mentions_encoding(line: &str) -> bool {
    let lower = line.to_lowercase();
    [
        "latin1",
        "latin-1",
        "iso-8859",
        "cp1252",
        "windows-1252",
        "mojibake",
        "double-encod",
        "encoding",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

/// Reports one line's double-encoded text, with the line as it should read and the repair.
fn report(
    cx: &mut Cx<'_, '_>,
    line: &str,
    line_start: usize,
    repairs: &[Repair],
    first: &Repair,
    last: &Repair,
) {
    let source = cx.source;
    let broken = &source[first.span.range()];
    let more = match repairs.len() {
        1 => String::new(),
        2 => " and 1 more".to_string(),
        n => format!(" and {} more", n - 1),
    };
    // The line as it should read, for the help.
    let mut fixed = String::new();
    let mut at = line_start;
    for repair in repairs {
        fixed.push_str(&source[at..repair.span.start]);
        fixed.push(repair.fixed);
        at = repair.span.end;
    }
    fixed.push_str(&source[at..line_start + line.len()]);
    let fixed = shorten(fixed.trim());
    cx.report(
        Span::new(first.span.start, last.span.end),
        format!("double-encoded text `{broken}`{more} (UTF-8 read as Windows-1252)"),
    )
    .label(format!("reads as `{}`", first.fixed))
    .help(format!(
        "the line should read: {fixed}; `runbook-lint check --fix` repairs it, and the \
         tool that saved it should save UTF-8"
    ))
    .fix(Fix {
        applicability: Applicability::Safe,
        description: "repair the double-encoded text".to_string(),
        edits: repairs
            .iter()
            .map(|r| Edit::replace(r.span, r.fixed.to_string()))
            .collect(),
    });
}

/// At most this many characters of the repaired line in the help.
const SHOWN_CHARS: usize = 120;

fn shorten(text: &str) -> String {
    if text.chars().count() <= SHOWN_CHARS {
        text.to_string()
    } else {
        let cut: String = text.chars().take(SHOWN_CHARS).collect();
        format!("{cut}…")
    }
}

/// One double-encoded character: the bytes of `span` read back as `fixed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Repair {
    span: Span,
    fixed: char,
}

/// Windows-1252's characters for bytes 0x80-0x9F; the five it leaves undefined are read as
/// Latin-1 (the C1 control of the same number), as the decoders that double-encode do.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// The byte Windows-1252 (or Latin-1, for C1 controls) writes for `c`, if it is not ASCII.
fn cp1252_byte(c: char) -> Option<u8> {
    let code = c as u32;
    if (0x80..=0xFF).contains(&code) {
        return Some(code as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|&h| h == c)
        .map(|i| 0x80 + i as u8)
}

/// Punctuation an author puts right after a word: as the second half of a two-byte sequence
/// after a capital it is more likely real text than a repair.
const AFTER_A_WORD: &[char] = &['‘', '’', '“', '”', '•', '–', '—', '…', '«', '»'];

/// How likely a repaired character is to be what the author wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plausible {
    /// Taken alone: accented Latin letters, punctuation, symbols, box drawing, emoji.
    Alone,
    /// Taken only next to another repair: Greek, Cyrillic, Hebrew, Arabic, CJK, Hangul...
    /// (legitimate text can spell one by accident: `Ñ”` would be `є`).
    InARun,
    /// Never: controls, combining marks, private use, unassigned planes.
    No,
}

fn plausible(c: char, len: usize) -> Plausible {
    let code = c as u32;
    match (len, code) {
        (2, 0x00A0..=0x024F) => Plausible::Alone,
        (2, 0x0370..=0x052F | 0x0590..=0x06FF) => Plausible::InARun,
        (3, 0x1E00..=0x1EFF | 0x2000..=0x2BFF | 0x2E00..=0x2E7F) => Plausible::Alone,
        (3, 0xFE00..=0xFE0F | 0xFEFF | 0xFFFD) => Plausible::Alone,
        (3, 0x0800..=0x1DFF | 0x1F00..=0x1FFF | 0x3000..=0xD7FF | 0xFF00..=0xFFEF) => {
            Plausible::InARun
        }
        (4, 0x1F000..=0x1FAFF) => Plausible::Alone,
        (4, 0x10000..=0x3FFFF) => Plausible::InARun,
        _ => Plausible::No,
    }
}

/// The double-encoded characters of `text`, in order, spans relative to it.
fn find(text: &str) -> Vec<Repair> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // (repair, plausibility, index of the char after it)
    let mut found: Vec<(Repair, Plausible, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match decode_at(&chars, i, text.len()) {
            Some((repair, len, next)) => {
                let mut plausibility = plausible(repair.fixed, len);
                // An accented capital, then a quote or dash: `“PÅ”`, `„MAÇÃ“` are words.
                let previous = i.checked_sub(1).map(|k| chars[k].1);
                if len == 2
                    && plausibility == Plausible::Alone
                    && AFTER_A_WORD.contains(&chars[i + 1].1)
                    && previous.is_some_and(|p| {
                        p.is_uppercase() || (!matches!(chars[i].1, 'Â' | 'Ã') && !p.is_lowercase())
                    })
                {
                    plausibility = Plausible::InARun;
                }
                if plausibility != Plausible::No {
                    found.push((repair, plausibility, next));
                    i = next;
                    continue;
                }
                i += 1;
            }
            None => i += 1,
        }
    }
    // A repair that needs company is kept when another repair touches it.
    let touches = |a: &Repair, b: &Repair| a.span.end == b.span.start || b.span.end == a.span.start;
    (0..found.len())
        .filter(|&k| {
            found[k].1 == Plausible::Alone
                || (k > 0 && touches(&found[k - 1].0, &found[k].0))
                || (k + 1 < found.len() && touches(&found[k].0, &found[k + 1].0))
        })
        .map(|k| found[k].0)
        .collect()
}

/// Decodes the UTF-8 sequence whose Windows-1252 reading starts at `chars[i]`: the repair,
/// the sequence's byte length, and the index of the next char.
fn decode_at(chars: &[(usize, char)], i: usize, end: usize) -> Option<(Repair, usize, usize)> {
    let lead = cp1252_byte(chars[i].1)?;
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut bytes = [lead, 0, 0, 0];
    for (k, byte) in bytes.iter_mut().enumerate().take(len).skip(1) {
        let (_, c) = chars.get(i + k)?;
        let b = cp1252_byte(*c)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        *byte = b;
    }
    // Strict: overlong forms, surrogates and code points past U+10FFFF are rejected here.
    let fixed = std::str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    let next = i + len;
    let stop = chars.get(next).map(|(at, _)| *at).unwrap_or(end);
    Some((
        Repair {
            span: Span::new(chars[i].0, stop),
            fixed,
        },
        len,
        next,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, project};

    /// What a double-encoding tool does: UTF-8 bytes read as Windows-1252.
    fn double_encode(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                0x00..=0x7F => b as char,
                0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize],
                _ => char::from(b),
            })
            .collect()
    }

    fn repair(text: &str) -> String {
        let mut out = String::new();
        let mut at = 0;
        for r in find(text) {
            out.push_str(&text[at..r.span.start]);
            out.push(r.fixed);
            at = r.span.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// Real text in many languages and scripts, with the punctuation that trips naive
    /// detectors (German „…“ after ß, Swedish capitals before quotes, French « » and …).
    const REAL_TEXT: &[&str] = &[
        "Don’t restart the primary — fail over first ✅",
        "Café au lait, déjà vu, naïve façade, « Allez-y ! », le café…”",
        "„Straße“ und „STRASSE“: Größe, Übergröße, ÄÖÜ äöü ß",
        "Ela disse “SÃO PAULO” e “NÃO”; São João, ação, informações, Ângela",
        "“PÅ” och “Ö”, på svenska: Åre, Östersund, Älvsjö",
        "España, año, señor, ¿Dónde está?, ¡Olé!",
        "Zażółć gęślą jaźń; Příliš žluťoučký kůň úpěl ďábelské ódy",
        "Привет, мир! Ελληνικά κείμενα. עברית. العربية",
        "日本語のテキスト、中文文本、한국어 텍스트",
        "Tiếng Việt có dấu: Việt Nam, người, được",
        "├── src/\n│   └── main.rs\n└── Cargo.toml",
        "°C, ±5 %, 2×3, ½, ©, ®, ™, €100, £5, ¥10, §3, ¶, µs, ·",
        "🚀 deploy, 🔥 incident, ☀️ sunny, ⚠️ warning, ➡️ next",
        "Ñ”, Ô”, É”, Ü“, ß“, é…”, SÃO, „MAÇÃ“",
        "ÆØÅ æøå, Þór, ð, Ísland",
    ];

    #[test]
    fn real_text_is_not_mojibake() {
        for text in REAL_TEXT {
            assert_eq!(find(text), vec![], "false alarm in {text:?}");
        }
    }

    #[test]
    fn double_encoded_text_is_repaired_exactly() {
        for text in REAL_TEXT.iter().take(13) {
            let broken = double_encode(text);
            assert_ne!(&broken, text);
            assert_eq!(&repair(&broken), text, "{broken:?}");
        }
    }

    #[test]
    fn classic_sequences() {
        assert_eq!(repair("Donâ€™t"), "Don’t");
        assert_eq!(repair("â”Œâ”€â”€â”\u{90}"), "┌──┐");
        assert_eq!(repair("done âœ…"), "done ✅");
        assert_eq!(repair("cafÃ©"), "café");
        assert_eq!(repair("ï»¿# Title"), "\u{feff}# Title");
        assert_eq!(repair("price:Â\u{a0}5"), "price:\u{a0}5");
        // The undefined Windows-1252 bytes survive as C1 controls: `Á` is C3 81.
        assert_eq!(repair("\u{c3}\u{81}rbol"), "Árbol");
        // Triple encoding comes back one layer per repair.
        assert_eq!(repair(&repair("Ã¢â‚¬â„¢")), "’");
        // One Cyrillic sequence alone is not enough; a word is.
        assert_eq!(repair("Ð¿"), "Ð¿");
        assert_eq!(repair("Ð¿Ñ€Ð¸Ð²ÐµÑ‚"), "привет");
        // Capitals before quotes are words; lower-case text around the same bytes is not.
        assert_eq!(repair("“PÅ”"), "“PÅ”");
        assert_eq!(repair("siÄ™ Å›wiat Ã–sterreich"), "się świat Österreich");
    }

    #[test]
    fn reports_once_per_line_outside_inline_code() {
        let md = "# Deploy\n\n- [ ] Donâ€™t restart â€” fail over âœ…\n- [ ] `â€™` is what broken text looks like\n- [ ] fine\n\n```js\nconsole.log(buf.toString()); // tÃ©st\n```\n\nWith encoding latin1 you get tÃ©st.\n\n```\nâ”œâ”€â”€ api\n```\n";
        let found = check(&Mojibake, md, &project(&[], &[]));
        assert_eq!(
            found,
            vec![
                (
                    3,
                    "double-encoded text `â€™` and 2 more (UTF-8 read as Windows-1252)".to_string()
                ),
                (
                    14,
                    "double-encoded text `â”œ` and 2 more (UTF-8 read as Windows-1252)".to_string()
                ),
            ]
        );
    }
}
