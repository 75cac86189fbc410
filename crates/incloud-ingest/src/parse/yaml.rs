//! YAML via yaml-rust2's event parser, so that every value keeps its position, CloudFormation's short-form
//! tags become the long form, and aliases are expanded under a budget (an alias bomb is a load error, not an
//! out-of-memory kill).

use super::dedup_keys;
use crate::error::DocError;
use crate::limits::Limits;
use incloud_model::{format_num, FileId, Node, Span, Val};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Short-form tags and the long-form key each stands for.
const SHORT_TAGS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("If", "Fn::If"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("FindInMap", "Fn::FindInMap"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("GetAZs", "Fn::GetAZs"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("ForEach", "Fn::ForEach"),
    ("Contains", "Fn::Contains"),
    ("EachMemberEquals", "Fn::EachMemberEquals"),
    ("EachMemberIn", "Fn::EachMemberIn"),
    ("RefAll", "Fn::RefAll"),
    ("ValueOf", "Fn::ValueOf"),
    ("ValueOfAll", "Fn::ValueOfAll"),
];

const CORE_SCHEMA: &str = "tag:yaml.org,2002:";

enum Frame {
    Seq {
        span: Span,
        anchor: usize,
        tag: Option<Tag>,
        items: Vec<Node>,
    },
    Map {
        span: Span,
        anchor: usize,
        tag: Option<Tag>,
        entries: Vec<(String, Node)>,
        key: Option<String>,
    },
}

struct Builder<'l> {
    limits: &'l Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    alias_nodes: usize,
    root: Option<Node>,
}

fn span_of(file: FileId, m: &Marker) -> Span {
    Span::new(file, m.line() as u32, m.col() as u32 + 1)
}

pub(crate) fn parse_yaml(text: &str, file: FileId, limits: &Limits) -> Result<Node, DocError> {
    match parse_strict(text, file, limits) {
        Err(e) if e.message.contains("indentation") => {
            match super::relax::relax_indentation(text) {
                Some(relaxed) => parse_strict(&relaxed, file, limits).map_err(|_| e),
                None => Err(e),
            }
        }
        other => other,
    }
}

fn parse_strict(text: &str, file: FileId, limits: &Limits) -> Result<Node, DocError> {
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder {
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        root: None,
    };
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let m = e.marker();
            let info = if e.info().contains("recursion limit") {
                "nesting deeper than the YAML parser allows".to_string()
            } else {
                e.info().to_string()
            };
            DocError::new(m.line() as u32, m.col() as u32 + 1, info)
        })?;
        let span = span_of(file, &mark);
        match event {
            Event::StreamEnd => break,
            Event::DocumentEnd => {
                if b.root.is_some() {
                    break;
                }
            }
            Event::Nothing | Event::StreamStart | Event::DocumentStart => {}
            Event::Scalar(value, style, anchor, tag) => {
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = b.stack.last_mut()
                {
                    // A mapping key: kept as written, whatever it looks like.
                    if tag.as_ref().is_some_and(|t| t.handle == "!") {
                        return Err(DocError::new(
                            span.line,
                            span.col,
                            format!(
                                "a tag (!{}) cannot be used on a mapping key",
                                tag.map(|t| t.suffix).unwrap_or_default()
                            ),
                        ));
                    }
                    *key = Some(value);
                    continue;
                }
                let node = scalar(value, style, tag.as_ref(), span)?;
                let node = apply_tag(node, tag)?;
                b.complete(node, anchor)?;
            }
            Event::SequenceStart(anchor, tag) => {
                b.open(
                    Frame::Seq {
                        span,
                        anchor,
                        tag,
                        items: Vec::new(),
                    },
                    span,
                )?;
            }
            Event::MappingStart(anchor, tag) => {
                b.open(
                    Frame::Map {
                        span,
                        anchor,
                        tag,
                        entries: Vec::new(),
                        key: None,
                    },
                    span,
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = b.stack.pop().ok_or_else(|| {
                    DocError::new(span.line, span.col, "unbalanced end of collection")
                })?;
                let (node, anchor) = match frame {
                    Frame::Seq {
                        span,
                        anchor,
                        tag,
                        items,
                    } => (apply_tag(Node::new(span, Val::Seq(items)), tag)?, anchor),
                    Frame::Map {
                        span,
                        anchor,
                        tag,
                        mut entries,
                        ..
                    } => {
                        dedup_keys(&mut entries);
                        (apply_tag(Node::new(span, Val::Map(entries)), tag)?, anchor)
                    }
                };
                b.complete(node, anchor)?;
            }
            Event::Alias(id) => {
                if let Some(Frame::Map { key: None, .. }) = b.stack.last() {
                    return Err(DocError::new(
                        span.line,
                        span.col,
                        "an alias cannot be used as a mapping key",
                    ));
                }
                let (node, count) = b.anchors.get(&id).cloned().ok_or_else(|| {
                    DocError::new(span.line, span.col, "alias to an unknown anchor")
                })?;
                b.alias_nodes = b.alias_nodes.saturating_add(count);
                if b.alias_nodes > b.limits.max_alias_nodes {
                    return Err(DocError::new(
                        span.line,
                        span.col,
                        format!(
                            "YAML aliases expand to more than {} values (limit max_alias_nodes); refusing to expand further",
                            b.limits.max_alias_nodes
                        ),
                    ));
                }
                b.complete(node, 0)?;
            }
        }
    }
    Ok(b.root
        .unwrap_or_else(|| Node::new(Span::new(file, 1, 1), Val::Null)))
}

impl Builder<'_> {
    fn open(&mut self, frame: Frame, span: Span) -> Result<(), DocError> {
        if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
            return Err(DocError::new(
                span.line,
                span.col,
                "complex mapping keys (a list or object used as a key) are not supported",
            ));
        }
        if self.stack.len() >= self.limits.max_depth {
            return Err(DocError::new(
                span.line,
                span.col,
                format!(
                    "nesting deeper than {} levels (limit max_depth)",
                    self.limits.max_depth
                ),
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), DocError> {
        if anchor > 0 {
            let count = count_nodes(&node);
            self.anchors.insert(anchor, (node.clone(), count));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => {
                    return Err(DocError::new(
                        node.span.line,
                        node.span.col,
                        "complex mapping keys are not supported",
                    ))
                }
            },
        }
        Ok(())
    }
}

fn count_nodes(node: &Node) -> usize {
    match &node.val {
        Val::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Val::Map(entries) => 1 + entries.iter().map(|(_, v)| count_nodes(v)).sum::<usize>(),
        _ => 1,
    }
}

fn scalar(
    value: String,
    style: TScalarStyle,
    tag: Option<&Tag>,
    span: Span,
) -> Result<Node, DocError> {
    let forced_string = tag.is_some_and(|t| t.handle == CORE_SCHEMA && t.suffix == "str");
    let val = if style != TScalarStyle::Plain || forced_string {
        Val::Str(value)
    } else {
        plain_scalar(value)
    };
    Ok(Node::new(span, val))
}

/// The YAML 1.2 core schema, except that a number which would not print back the same (a leading zero, as in
/// an AWS account id) stays a string: CloudFormation passes such values through as written.
fn plain_scalar(value: String) -> Val {
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Val::Null,
        "true" | "True" | "TRUE" => Val::Bool(true),
        "false" | "False" | "FALSE" => Val::Bool(false),
        s => {
            let numeric = s
                .bytes()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.')
                && s.bytes()
                    .all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E'));
            if numeric {
                if let Ok(n) = s.parse::<f64>() {
                    if n.is_finite() && format_num(n) == s {
                        return Val::Num(n);
                    }
                }
            }
            Val::Str(value)
        }
    }
}

/// `!Ref x` becomes `{"Ref": x}`, and so on for every short form; standard `!!` tags are accepted; any other
/// tag is an error.
fn apply_tag(node: Node, tag: Option<Tag>) -> Result<Node, DocError> {
    let Some(tag) = tag else { return Ok(node) };
    if tag.handle == CORE_SCHEMA {
        return Ok(node);
    }
    if tag.handle == "!" {
        if let Some((_, long)) = SHORT_TAGS.iter().find(|(short, _)| *short == tag.suffix) {
            let span = node.span;
            return Ok(Node::new(span, Val::Map(vec![(long.to_string(), node)])));
        }
    }
    Err(DocError::new(
        node.span.line,
        node.span.col,
        format!("unknown tag {}{}", tag.handle, tag.suffix),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Node, DocError> {
        parse_yaml(s, FileId(0), &Limits::default())
    }

    #[test]
    fn short_tags_become_long_form_with_positions() {
        let n = parse("A:\n  B: !Ref Foo\n  C: !GetAtt X.Arn\n").unwrap();
        let b = n.get("A").unwrap().get("B").unwrap();
        assert_eq!(b.get("Ref").unwrap().as_str(), Some("Foo"));
        assert_eq!(b.span.line, 2);
        let c = n.get("A").unwrap().get("C").unwrap();
        assert_eq!(c.get("Fn::GetAtt").unwrap().as_str(), Some("X.Arn"));
    }

    #[test]
    fn scalars_follow_the_core_schema_but_keep_account_ids() {
        let n = parse("a: 012345678901\nb: 365\nc: true\nd: 'true'\ne: ~\nf: 1.5\n").unwrap();
        assert_eq!(n.get("a").unwrap().val, Val::Str("012345678901".into()));
        assert_eq!(n.get("b").unwrap().val, Val::Num(365.0));
        assert_eq!(n.get("c").unwrap().val, Val::Bool(true));
        assert_eq!(n.get("d").unwrap().val, Val::Str("true".into()));
        assert_eq!(n.get("e").unwrap().val, Val::Null);
        assert_eq!(n.get("f").unwrap().val, Val::Num(1.5));
    }

    #[test]
    fn unknown_tags_are_errors_and_repeated_keys_keep_the_last() {
        let e = parse("a: !Foo x\n").unwrap_err();
        assert!(e.message.contains("unknown tag !Foo"), "{e:?}");
        let n = parse("a: 1\nb: 2\na: 3\n").unwrap();
        assert_eq!(
            n.get("a").unwrap().val,
            Val::Num(3.0),
            "the last of repeated keys wins"
        );
        assert_eq!(n.get("b").unwrap().val, Val::Num(2.0));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            s.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
                p = i - 1
            ));
        }
        let e = parse(&s).unwrap_err();
        assert!(e.message.contains("max_alias_nodes"), "{e:?}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let e = parse(&"[".repeat(100_000)).unwrap_err();
        assert!(e.message.contains("nesting"), "{e:?}");
        let mut s = String::new();
        for i in 0..300 {
            s.push_str(&" ".repeat(i));
            s.push_str("a:\n");
        }
        let e = parse(&s).unwrap_err();
        assert!(e.message.contains("max_depth"), "{e:?}");
    }
}
