//! JSON with positions, through jsonc-parser's AST in strict mode (no comments, no trailing commas).

use super::dedup_keys;
use crate::error::DocError;
use crate::limits::Limits;
use incloud_model::{FileId, Node, Span, Val};
use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions};

/// Byte offsets to 1-based line and column (in characters).
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    fn pos(&self, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset.min(self.text.len()))
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line as u32, col as u32 + 1)
    }
}

/// The deepest nesting of `[`/`{` outside strings, found without recursion so that a hostile file cannot
/// overflow the stack of the (recursive) parser.
fn nesting_exceeds(text: &str, max: usize) -> Option<usize> {
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_str {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

pub(crate) fn parse_json(text: &str, file: FileId, limits: &Limits) -> Result<Node, DocError> {
    let text_nobom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_nobom.len();
    let lines = Lines::new(text);
    if let Some(at) = nesting_exceeds(text_nobom, limits.max_depth) {
        let (line, col) = lines.pos(at + bom);
        return Err(DocError::new(
            line,
            col,
            format!(
                "nesting deeper than {} levels (limit max_depth)",
                limits.max_depth
            ),
        ));
    }
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = parse_to_ast(text_nobom, &CollectOptions::default(), &strict).map_err(|e| {
        let (line, col) = lines.pos(e.range().start + bom);
        DocError::new(line, col, format!("invalid JSON: {}", e.kind()))
    })?;
    let conv = Conv {
        file,
        lines: &lines,
        bom,
    };
    match parsed.value {
        Some(v) => conv.node(&v),
        None => Ok(Node::new(Span::new(file, 1, 1), Val::Null)),
    }
}

struct Conv<'a> {
    file: FileId,
    lines: &'a Lines<'a>,
    bom: usize,
}

impl Conv<'_> {
    fn span(&self, offset: usize) -> Span {
        let (line, col) = self.lines.pos(offset + self.bom);
        Span::new(self.file, line, col)
    }

    fn node(&self, v: &Value<'_>) -> Result<Node, DocError> {
        Ok(match v {
            Value::StringLit(s) => {
                Node::new(self.span(s.range.start), Val::Str(s.value.to_string()))
            }
            Value::NumberLit(n) => {
                let span = self.span(n.range.start);
                match n.value.parse::<f64>() {
                    Ok(f) if f.is_finite() => Node::new(span, Val::Num(f)),
                    _ => Node::new(span, Val::Str(n.value.to_string())),
                }
            }
            Value::BooleanLit(b) => Node::new(self.span(b.range.start), Val::Bool(b.value)),
            Value::NullKeyword(n) => Node::new(self.span(n.range.start), Val::Null),
            Value::Array(a) => {
                let items = a
                    .elements
                    .iter()
                    .map(|e| self.node(e))
                    .collect::<Result<Vec<_>, _>>()?;
                Node::new(self.span(a.range.start), Val::Seq(items))
            }
            Value::Object(o) => {
                let mut entries = Vec::with_capacity(o.properties.len());
                for p in &o.properties {
                    let key = match &p.name {
                        ObjectPropName::String(s) => s.value.to_string(),
                        ObjectPropName::Word(w) => w.value.to_string(),
                    };
                    entries.push((key, self.node(&p.value)?));
                }
                dedup_keys(&mut entries);
                Node::new(self.span(o.range.start), Val::Map(entries))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Node, DocError> {
        parse_json(s, FileId(0), &Limits::default())
    }

    #[test]
    fn values_keep_line_and_column() {
        let n = parse("{\n  \"A\": {\n    \"B\": [1, \"x\", true, null]\n  }\n}").unwrap();
        let b = n.get("A").unwrap().get("B").unwrap();
        assert_eq!((b.span.line, b.span.col), (3, 10));
        let Val::Seq(items) = &b.val else { panic!() };
        assert_eq!(items[1].val, Val::Str("x".into()));
        assert_eq!((items[1].span.line, items[1].span.col), (3, 14));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse("{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!((e.line, e.col), (2, 9), "{e:?}");
        assert!(e.message.contains("Trailing commas"));
        let n = parse("{\"a\": 1, \"a\": 2}").unwrap();
        assert_eq!(n.get("a").unwrap().val, Val::Num(2.0));
        let e = parse(&"[".repeat(1_000_000)).unwrap_err();
        assert!(e.message.contains("max_depth"));
    }
}
