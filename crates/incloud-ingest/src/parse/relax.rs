//! A second chance for YAML that CloudFormation accepts but YAML 1.2 does not: continuation lines of flow
//! collections (`[ … ]`, `{ … }`) and multi-line quoted scalars written at or left of the indentation of the
//! line that opened them. PyYAML and SnakeYAML (which the AWS tools use) accept such templates; yaml-rust2
//! follows the specification and rejects them. Indentation inside those constructs carries no meaning, so
//! moving such lines to the right changes no value; only their column numbers shift by the padding.

/// The text with under-indented continuation lines padded, or `None` when nothing needed changing.
pub(crate) fn relax_indentation(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 256);
    let mut changed = false;
    let mut flow_depth = 0usize;
    let mut quote: Option<char> = None;
    let mut context_indent = 0usize;
    let mut block_scalar: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(bi) = block_scalar {
            if blank || indent > bi {
                out.push_str(line);
                continue;
            }
            block_scalar = None;
        }
        let continuing = flow_depth > 0 || quote.is_some();
        if continuing && !blank && indent <= context_indent {
            out.extend(std::iter::repeat_n(' ', context_indent + 1 - indent));
            changed = true;
        }
        out.push_str(line);
        if !continuing {
            // Where a construct opened on this line must have its continuation lines: right of the key.
            let rest = line.trim_start_matches(' ');
            let dashes = rest.len() - rest.trim_start_matches(['-', ' ']).len();
            context_indent = indent + dashes;
        }
        let chars: Vec<char> = line.trim_end_matches(['\n', '\r']).chars().collect();
        let mut i = 0;
        let mut token_start = true;
        while i < chars.len() {
            let c = chars[i];
            if let Some(q) = quote {
                if q == '\'' && c == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    quote = None;
                } else if q == '"' && c == '\\' {
                    i += 2;
                    continue;
                } else if q == '"' && c == '"' {
                    quote = None;
                }
                i += 1;
                continue;
            }
            match c {
                '#' if i == 0 || chars[i - 1] == ' ' => break,
                '\'' | '"' if token_start => quote = Some(c),
                '[' | '{' if token_start || flow_depth > 0 => flow_depth += 1,
                ']' | '}' if flow_depth > 0 => flow_depth -= 1,
                _ => {}
            }
            token_start =
                matches!(c, ' ' | ':' | '-' | ',' | '[' | '{' | '!') || (c == '?' && token_start);
            if c.is_alphanumeric() && i > 0 && chars[i - 1] == '!' {
                // a tag like `!Sub` is followed by its value
                token_start = false;
            }
            i += 1;
        }
        if flow_depth == 0 && quote.is_none() {
            let code = strip_comment(&chars);
            let t = code.trim_end();
            let indicator =
                t.trim_end_matches(['+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
            if (indicator.ends_with(": |")
                || indicator.ends_with(": >")
                || indicator.ends_with("- |")
                || indicator.ends_with("- >")
                || indicator == "|"
                || indicator == ">")
                || indicator.ends_with(" |")
                || indicator.ends_with(" >")
            {
                block_scalar = Some(indent);
            }
        }
    }
    changed.then_some(out)
}

fn strip_comment(chars: &[char]) -> String {
    let mut s = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '#' && (i == 0 || chars[i - 1] == ' ') {
            break;
        }
        s.push(c);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_under_indented_continuations_only() {
        let src = "A:\n  Value: 'one\n  two'\n  B: [1,\n  2\n  ]\n  C: |\n    keep [\n  D: x\n";
        let out = relax_indentation(src).unwrap();
        assert_eq!(
            out,
            "A:\n  Value: 'one\n   two'\n  B: [1,\n   2\n   ]\n  C: |\n    keep [\n  D: x\n"
        );
        assert_eq!(relax_indentation("A: don't [stop]\nB: x\n"), None);
    }
}
