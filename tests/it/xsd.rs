//! A validator for the part of XML Schema 1.0 that the vendored Jenkins xunit JUnit schema
//! (`tests/data/xunit/junit-10.xsd`) is written in, so the JUnit report is checked against
//! that file on any machine, with no `xmllint` installed.
//!
//! It reads the schema itself: global and local element declarations, named complex and
//! simple types, `sequence` and `choice` with `minOccurs`/`maxOccurs`, `mixed` content,
//! attributes (`use="required"`, string or pattern-restricted types). A schema construct it
//! does not know is a panic, so a schema update that uses more of XSD fails loudly instead of
//! validating less. Undeclared attributes and elements are errors, as in XSD. When `xmllint`
//! is on PATH, the tests also ask it and expect the same verdict.

use std::collections::HashMap;

use regex::Regex;

const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// How often a particle may occur.
#[derive(Debug, Clone, Copy)]
struct Occurs {
    min: usize,
    /// `None`: unbounded.
    max: Option<usize>,
}

#[derive(Debug, Clone)]
enum Particle {
    /// An element, by index into [`Schema::decls`].
    Element(usize, Occurs),
    Sequence(Vec<Particle>, Occurs),
    Choice(Vec<Particle>, Occurs),
}

#[derive(Debug, Clone)]
enum Content {
    /// `type="xs:string"`: text only, no child elements.
    Text,
    /// A complex type.
    Complex {
        mixed: bool,
        particle: Option<Particle>,
        attributes: Vec<Attribute>,
    },
}

#[derive(Debug, Clone)]
struct Attribute {
    name: String,
    required: bool,
    /// A pattern the whole value must match; `None` for `xs:string`.
    pattern: Option<Regex>,
}

#[derive(Debug, Clone)]
struct Decl {
    name: String,
    content: Content,
}

/// A parsed schema.
#[derive(Debug)]
pub struct Schema {
    decls: Vec<Decl>,
    /// Global element name → index into `decls`.
    globals: HashMap<String, usize>,
}

/// Reads a schema's text. Panics on what this validator does not implement.
pub fn parse(text: &str) -> Schema {
    let doc = roxmltree::Document::parse(text).expect("the schema is well-formed XML");
    let root = doc.root_element();
    assert!(is_xs(root, "schema"), "not an XML Schema");
    let mut types: HashMap<String, roxmltree::Node> = HashMap::new();
    let mut simple: HashMap<String, Regex> = HashMap::new();
    let mut global_nodes = Vec::new();
    for child in root.children().filter(|n| n.is_element()) {
        known_attributes(child, &["name", "type", "mixed"]);
        let name = child
            .attribute("name")
            .expect("global declarations are named");
        match xs_name(child) {
            "element" => global_nodes.push(child),
            "complexType" => {
                types.insert(name.to_string(), child);
            }
            "simpleType" => {
                simple.insert(name.to_string(), simple_type(child));
            }
            other => panic!("unsupported top-level XSD construct xs:{other}"),
        }
    }
    let mut builder = Builder {
        types,
        simple,
        decls: Vec::new(),
    };
    let mut globals = HashMap::new();
    // Reserve the globals first so references resolve to their index.
    for node in &global_nodes {
        let index = builder.decls.len();
        builder.decls.push(Decl {
            name: node.attribute("name").unwrap().to_string(),
            content: Content::Text,
        });
        globals.insert(node.attribute("name").unwrap().to_string(), index);
    }
    for (index, node) in global_nodes.iter().enumerate() {
        let content = builder.element_content(*node, &globals);
        builder.decls[index].content = content;
    }
    Schema {
        decls: builder.decls,
        globals,
    }
}

struct Builder<'a, 'input> {
    types: HashMap<String, roxmltree::Node<'a, 'input>>,
    simple: HashMap<String, Regex>,
    decls: Vec<Decl>,
}

impl<'a, 'input> Builder<'a, 'input> {
    fn element_content(
        &mut self,
        node: roxmltree::Node<'a, 'input>,
        globals: &HashMap<String, usize>,
    ) -> Content {
        let inline: Vec<_> = node.children().filter(|n| n.is_element()).collect();
        match (node.attribute("type"), inline.as_slice()) {
            (Some("xs:string"), []) => Content::Text,
            (Some(name), []) => {
                let ty = *self
                    .types
                    .get(name)
                    .unwrap_or_else(|| panic!("unsupported element type {name}"));
                self.complex_type(ty, globals)
            }
            (None, [ty]) if is_xs(*ty, "complexType") => self.complex_type(*ty, globals),
            _ => panic!(
                "unsupported element declaration {:?}",
                node.attribute("name")
            ),
        }
    }

    fn complex_type(
        &mut self,
        node: roxmltree::Node<'a, 'input>,
        globals: &HashMap<String, usize>,
    ) -> Content {
        known_attributes(node, &["name", "mixed"]);
        let mixed = node.attribute("mixed") == Some("true");
        let mut particle = None;
        let mut attributes = Vec::new();
        for child in node.children().filter(|n| n.is_element()) {
            match xs_name(child) {
                "sequence" | "choice" => {
                    assert!(particle.is_none(), "one model group per complex type");
                    particle = Some(self.particle(child, globals));
                }
                "attribute" => {
                    known_attributes(child, &["name", "type", "use"]);
                    let pattern = match child.attribute("type") {
                        Some("xs:string") | None => None,
                        Some(name) => Some(
                            self.simple
                                .get(name)
                                .unwrap_or_else(|| panic!("unsupported attribute type {name}"))
                                .clone(),
                        ),
                    };
                    attributes.push(Attribute {
                        name: child.attribute("name").expect("named").to_string(),
                        required: match child.attribute("use") {
                            Some("required") => true,
                            Some("optional") | None => false,
                            Some(other) => panic!("unsupported use={other}"),
                        },
                        pattern,
                    });
                }
                other => panic!("unsupported XSD construct xs:{other} in a complex type"),
            }
        }
        Content::Complex {
            mixed,
            particle,
            attributes,
        }
    }

    fn particle(
        &mut self,
        node: roxmltree::Node<'a, 'input>,
        globals: &HashMap<String, usize>,
    ) -> Particle {
        let occurs = occurs(node);
        match xs_name(node) {
            "sequence" | "choice" => {
                known_attributes(node, &["minOccurs", "maxOccurs"]);
                let items = node
                    .children()
                    .filter(|n| n.is_element())
                    .map(|child| self.particle(child, globals))
                    .collect();
                if xs_name(node) == "sequence" {
                    Particle::Sequence(items, occurs)
                } else {
                    Particle::Choice(items, occurs)
                }
            }
            "element" => {
                known_attributes(node, &["name", "ref", "type", "minOccurs", "maxOccurs"]);
                if let Some(name) = node.attribute("ref") {
                    let index = *globals
                        .get(name)
                        .unwrap_or_else(|| panic!("no global element {name}"));
                    Particle::Element(index, occurs)
                } else {
                    let content = self.element_content(node, globals);
                    self.decls.push(Decl {
                        name: node.attribute("name").expect("named").to_string(),
                        content,
                    });
                    Particle::Element(self.decls.len() - 1, occurs)
                }
            }
            other => panic!("unsupported XSD construct xs:{other} in a model group"),
        }
    }
}

fn simple_type(node: roxmltree::Node) -> Regex {
    let children: Vec<_> = node.children().filter(|n| n.is_element()).collect();
    let [restriction] = children.as_slice() else {
        panic!("unsupported simple type");
    };
    assert!(
        is_xs(*restriction, "restriction") && restriction.attribute("base") == Some("xs:string"),
        "only restrictions of xs:string are supported"
    );
    let facets: Vec<_> = restriction.children().filter(|n| n.is_element()).collect();
    let [pattern] = facets.as_slice() else {
        panic!("only a single pattern facet is supported");
    };
    assert!(
        is_xs(*pattern, "pattern"),
        "only pattern facets are supported"
    );
    // XSD patterns match the whole value.
    Regex::new(&format!("^(?:{})$", pattern.attribute("value").unwrap())).expect("pattern")
}

fn occurs(node: roxmltree::Node) -> Occurs {
    let number = |text: &str| text.parse::<usize>().expect("a number of occurrences");
    Occurs {
        min: node.attribute("minOccurs").map_or(1, number),
        max: match node.attribute("maxOccurs") {
            Some("unbounded") => None,
            Some(text) => Some(number(text)),
            None => Some(1),
        },
    }
}

fn is_xs(node: roxmltree::Node, name: &str) -> bool {
    node.tag_name().namespace() == Some(XS) && node.tag_name().name() == name
}

fn xs_name<'a>(node: roxmltree::Node<'a, '_>) -> &'a str {
    assert_eq!(node.tag_name().namespace(), Some(XS), "an XSD element");
    node.tag_name().name()
}

fn known_attributes(node: roxmltree::Node, known: &[&str]) {
    for attribute in node.attributes() {
        assert!(
            known.contains(&attribute.name()),
            "unsupported XSD attribute {} on xs:{}",
            attribute.name(),
            node.tag_name().name()
        );
    }
}

impl Schema {
    /// Every way `document` breaks the schema; empty when it is valid.
    pub fn validate(&self, document: &str) -> Vec<String> {
        let doc = match roxmltree::Document::parse(document) {
            Ok(doc) => doc,
            Err(error) => return vec![format!("not well-formed: {error}")],
        };
        let root = doc.root_element();
        let mut errors = Vec::new();
        match self.globals.get(root.tag_name().name()) {
            Some(&index) if root.tag_name().namespace().is_none() => self.element(
                root,
                index,
                &format!("/{}", root.tag_name().name()),
                &mut errors,
            ),
            _ => errors.push(format!(
                "no global declaration for the root element {}",
                root.tag_name().name()
            )),
        }
        errors
    }

    fn element(&self, node: roxmltree::Node, index: usize, path: &str, errors: &mut Vec<String>) {
        let decl = &self.decls[index];
        let children: Vec<roxmltree::Node> = node.children().filter(|n| n.is_element()).collect();
        let text_present = node
            .children()
            .any(|n| n.is_text() && !n.text().unwrap_or("").trim().is_empty());
        match &decl.content {
            Content::Text => {
                if !children.is_empty() {
                    errors.push(format!("{path}: text only, found child elements"));
                }
                if node.attributes().len() > 0 {
                    errors.push(format!("{path}: no attributes allowed"));
                }
            }
            Content::Complex {
                mixed,
                particle,
                attributes,
            } => {
                if text_present && !mixed {
                    errors.push(format!("{path}: text is not allowed here"));
                }
                for attribute in node.attributes() {
                    match attributes.iter().find(|a| a.name == attribute.name()) {
                        None => errors.push(format!(
                            "{path}: attribute {} is not declared",
                            attribute.name()
                        )),
                        Some(declared) => {
                            if let Some(pattern) = &declared.pattern {
                                if !pattern.is_match(attribute.value()) {
                                    errors.push(format!(
                                        "{path}/@{}: `{}` does not match {}",
                                        attribute.name(),
                                        attribute.value(),
                                        pattern.as_str()
                                    ));
                                }
                            }
                        }
                    }
                }
                for declared in attributes.iter().filter(|a| a.required) {
                    if node.attribute(declared.name.as_str()).is_none() {
                        errors.push(format!(
                            "{path}: missing required attribute {}",
                            declared.name
                        ));
                    }
                }
                // The children, by name, against the content model: every child sequence
                // the model can produce is a set of end positions (few children: no need
                // for an automaton).
                let names: Vec<&str> = children.iter().map(|c| c.tag_name().name()).collect();
                let assigned = match particle {
                    None if children.is_empty() => Some(Vec::new()),
                    None => None,
                    Some(particle) => self
                        .matches(particle, &names, 0, Vec::new())
                        .into_iter()
                        .find(|(end, _)| *end == names.len())
                        .map(|(_, assigned)| assigned),
                };
                match assigned {
                    None => errors.push(format!(
                        "{path}: children {names:?} do not fit the content model of {}",
                        decl.name
                    )),
                    Some(assigned) => {
                        for (i, (child, decl)) in children.iter().zip(assigned).enumerate() {
                            let child_path =
                                format!("{path}/{}[{}]", child.tag_name().name(), i + 1);
                            self.element(*child, decl, &child_path, errors);
                        }
                    }
                }
            }
        }
    }

    /// Every way `particle` can match `names[from..]`: the end position and the declaration
    /// each matched child was assigned.
    fn matches(
        &self,
        particle: &Particle,
        names: &[&str],
        from: usize,
        assigned: Vec<usize>,
    ) -> Vec<(usize, Vec<usize>)> {
        let occurs = match particle {
            Particle::Element(_, occurs)
            | Particle::Sequence(_, occurs)
            | Particle::Choice(_, occurs) => *occurs,
        };
        let mut results = Vec::new();
        let mut frontier = vec![(from, assigned)];
        let mut count = 0;
        loop {
            if count >= occurs.min {
                results.extend(frontier.iter().cloned());
            }
            if occurs.max.is_some_and(|max| count >= max) || frontier.is_empty() {
                break;
            }
            let mut next = Vec::new();
            for (at, assigned) in frontier {
                for (end, assigned) in self.once(particle, names, at, assigned) {
                    // Past the minimum, a repetition that consumes nothing adds nothing.
                    if end > at || count < occurs.min {
                        next.push((end, assigned));
                    }
                }
            }
            next.sort();
            next.dedup();
            frontier = next;
            count += 1;
            if count > names.len() + occurs.min {
                break;
            }
        }
        results
    }

    /// One occurrence of `particle` from `at`.
    fn once(
        &self,
        particle: &Particle,
        names: &[&str],
        at: usize,
        assigned: Vec<usize>,
    ) -> Vec<(usize, Vec<usize>)> {
        match particle {
            Particle::Element(index, _) => {
                if names.get(at) == Some(&self.decls[*index].name.as_str()) {
                    let mut assigned = assigned;
                    assigned.push(*index);
                    vec![(at + 1, assigned)]
                } else {
                    Vec::new()
                }
            }
            Particle::Sequence(items, _) => {
                let mut states = vec![(at, assigned)];
                for item in items {
                    states = states
                        .into_iter()
                        .flat_map(|(at, assigned)| self.matches(item, names, at, assigned))
                        .collect();
                }
                states
            }
            Particle::Choice(items, _) => items
                .iter()
                .flat_map(|item| self.matches(item, names, at, assigned.clone()))
                .collect(),
        }
    }
}
