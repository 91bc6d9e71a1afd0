//! User text for the two places where the server renderer writes text without escaping it:
//! the document `<title>` (leptos_meta 0.8 injects the formatted title as it is) and the
//! initial text of a `<textarea>` (tachys 0.2 marks textarea children "not to be escaped", as
//! it does for `<script>`). Both are RCDATA in HTML, so `</title>` or `</textarea>` in a
//! launch name or description would end the element and let the rest be read as markup.
//!
//! The browser sets both as text (`document.title`, a text node), so the text is escaped on
//! the server only; on the client it must stay as written.

/// `text` as it must be written into a `<title>` or `<textarea>`: escaped in server-rendered
/// HTML, unchanged in the browser.
pub fn rcdata(text: String) -> String {
    if cfg!(feature = "ssr") {
        escape(&text)
    } else {
        text
    }
}

/// Escapes the characters that can end an RCDATA element, start a character reference or
/// end a quoted attribute value (so mail bodies use it for attributes too).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            escape(r#"</title><meta http-equiv="refresh"> & co"#),
            r#"&lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot;&gt; &amp; co"#
        );
        assert_eq!(escape("plain text"), "plain text");
    }
}
