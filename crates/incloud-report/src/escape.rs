//! Escaping for XML and HTML output.
//!
//! XML 1.0 allows only tab, line feed and carriage return below U+0020, and neither U+FFFE nor U+FFFF; not
//! even a character reference may name the others. A message can hold any of them (they come from templates),
//! so they are dropped rather than written out as an unparseable document.

/// Whether XML 1.0 allows this character in a document at all.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Text for element content (XML or HTML): `&`, `<`, `>` escaped, forbidden characters dropped.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Text for a quoted attribute value (XML or HTML). Quotes of both kinds are escaped, and so are tab, line
/// feed and carriage return, which attribute-value normalisation would otherwise turn into spaces.
pub(crate) fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters() {
        assert_eq!(
            text(r#"<a href="x">&'</a>"#),
            r#"&lt;a href="x"&gt;&amp;'&lt;/a&gt;"#
        );
        assert_eq!(attr(r#"<>&"'"#), "&lt;&gt;&amp;&quot;&#39;");
    }

    #[test]
    fn control_characters_dropped_whitespace_kept() {
        assert_eq!(text("a\u{0}b\u{1b}[31mc\u{7}\td\ne\rf"), "ab[31mc\td\ne\rf");
        assert_eq!(attr("a\u{0}b\tc\nd\re"), "ab&#9;c&#10;d&#13;e");
        assert_eq!(text("\u{FFFE}\u{FFFF}x\u{FFFD}"), "x\u{FFFD}");
        assert_eq!(text("naïve ✓ 𝄞"), "naïve ✓ 𝄞");
    }
}
