//! A small owned YAML tree with byte spans, built from saphyr's marked nodes, so manifest
//! parsers share one way of walking YAML and of reporting where it is broken.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use super::ManifestProblem;
use crate::span::{LineIndex, Span};

/// A YAML node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it was written (byte offsets).
    pub span: Span,
}

/// A YAML value; scalars are kept as their text.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Any scalar (string, number, boolean) as text.
    Scalar(String),
    /// `null` or `~` or an empty value.
    Null,
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<(Node, Node)>),
    /// Aliases and anything else not modelled.
    Other,
}

impl Node {
    /// The scalar text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// Value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// Entries of a mapping (empty for anything else).
    pub fn entries(&self) -> impl Iterator<Item = (&Node, &Node)> {
        let entries: &[(Node, Node)] = match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        };
        entries.iter().map(|(k, v)| (k, v))
    }

    /// Items of a sequence (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }
}

/// Parses the first YAML document of `text`. An empty file is `Ok(None)`. A syntax error is a
/// [`ManifestProblem`] naming the line and column.
pub fn parse(path: &str, text: &str) -> Result<Option<Node>, ManifestProblem> {
    Ok(parse_all(path, text)?.into_iter().next())
}

/// Parses every document of a multi-document YAML stream (`---` separated), in order; empty
/// documents are `Null` nodes.
pub fn parse_all(path: &str, text: &str) -> Result<Vec<Node>, ManifestProblem> {
    let docs = MarkedYaml::load_from_str(text).map_err(|error| {
        let marker = error.marker();
        let index = LineIndex::new(text);
        let offset = index.offset(text, marker.line().max(1), marker.col() + 1);
        ManifestProblem::new(
            path,
            text,
            Span::new(offset, offset),
            format!("invalid YAML: {}", error.info()),
        )
    })?;
    let chars = CharOffsets::new(text);
    Ok(docs.iter().map(|doc| convert(doc, &chars)).collect())
}

/// Maps saphyr's character indexes to byte offsets.
struct CharOffsets {
    /// Byte offset of each character, only built for non-ASCII text.
    offsets: Option<Vec<usize>>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let offsets = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        CharOffsets {
            offsets,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.offsets {
            None => char_index.min(self.len),
            Some(offsets) => offsets.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

fn convert(node: &MarkedYaml<'_>, chars: &CharOffsets) -> Node {
    let span = Span::new(
        chars.byte(node.span.start.index()),
        chars.byte(node.span.end.index()),
    );
    let value = match &node.data {
        YamlData::Value(scalar) => match scalar {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Scalar(b.to_string()),
            Scalar::Integer(i) => Value::Scalar(i.to_string()),
            Scalar::FloatingPoint(f) => Value::Scalar(f.to_string()),
            Scalar::String(s) => Value::Scalar(s.to_string()),
        },
        YamlData::Representation(raw, _, _) => Value::Scalar(raw.to_string()),
        YamlData::Sequence(items) => Value::Seq(items.iter().map(|i| convert(i, chars)).collect()),
        YamlData::Mapping(map) => Value::Map(
            map.iter()
                .map(|(k, v)| (convert(k, chars), convert(v, chars)))
                .collect(),
        ),
        YamlData::Tagged(_, inner) => return convert(inner, chars),
        _ => Value::Other,
    };
    Node { value, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_maps_sequences_and_spans() {
        let text = "packages:\n  - 'apps/*'\n  - packages/é*\n";
        let root = parse("pnpm-workspace.yaml", text).unwrap().unwrap();
        let items: Vec<&str> = root
            .get("packages")
            .unwrap()
            .items()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        assert_eq!(items, vec!["apps/*", "packages/é*"]);
        let second = &root.get("packages").unwrap().items()[1];
        assert_eq!(&text[second.span.range()], "packages/é*");
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let problem = parse("render.yaml", "services:\n  - name: [a\n").unwrap_err();
        assert!(
            problem.message.starts_with("invalid YAML"),
            "{}",
            problem.message
        );
        assert!(problem.location().line >= 2);
    }

    #[test]
    fn every_document_of_a_stream() {
        let text = "kind: A\n---\nkind: B\n";
        let docs = parse_all("k8s.yaml", text).unwrap();
        let kinds: Vec<&str> = docs
            .iter()
            .filter_map(|d| d.get("kind").and_then(Node::as_str))
            .collect();
        assert_eq!(kinds, vec!["A", "B"]);
    }

    #[test]
    fn empty_yaml_is_none() {
        assert_eq!(parse("x.yaml", "").unwrap(), None);
    }
}
