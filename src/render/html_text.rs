//! Stage `render`: text made safe for HTML and SVG — member names, plan
//! titles and paths are the user's and may hold `<`, `&` or quotes.

/// `text` with `&`, `<`, `>`, `"` and `'` written as entities, safe both
/// between tags and inside a quoted attribute.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters have no place in a page; a tab reads as a space.
            c if c.is_control() && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
