//! One mail template, two bodies: a `Mail` says what to tell (a lead line, sections of
//! items with links to pages, why the person gets it), and is rendered as plain text and
//! as HTML — every link absolute, every piece of user text escaped in the HTML.

use crate::components::raw_text::escape;
use serde::{Deserialize, Serialize};

/// What one mail says. Stored in the outbox as JSON and rendered when sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub subject: String,
    /// The first line: what happened, or what the digest covers.
    pub lead: String,
    pub sections: Vec<Section>,
    /// Why the person gets this mail.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// No heading: the items follow the lead directly.
    pub heading: Option<String>,
    pub items: Vec<Item>,
    /// Said when there are no items.
    pub empty: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub text: String,
    /// A page of Flare (`/escalations/7`), made absolute when rendered.
    pub link: Option<String>,
}

impl Item {
    pub fn new(text: impl Into<String>, link: Option<String>) -> Self {
        Self {
            text: text.into(),
            link,
        }
    }
}

/// Where people change what Flare mails them.
pub const SETTINGS: &str = "/settings/notifications";

/// A subject line: one line (control characters become spaces), at most 120 characters.
pub fn subject(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= 120 {
        line
    } else {
        let cut: String = line.chars().take(119).collect();
        format!("{}…", cut.trim_end())
    }
}

/// `path` (starting with `/`) under Flare's public address.
fn absolute(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

impl Mail {
    /// The plain-text body; `base` is Flare's public address.
    pub fn text(&self, base: &str) -> String {
        let mut out = format!("{}\n", self.lead);
        for section in &self.sections {
            out.push('\n');
            if let Some(heading) = &section.heading {
                out.push_str(&format!("{heading}\n"));
            }
            if section.items.is_empty() {
                out.push_str(&format!("{}\n", section.empty));
            }
            for item in &section.items {
                out.push_str(&format!("- {}\n", item.text));
                if let Some(link) = &item.link {
                    out.push_str(&format!("  {}\n", absolute(base, link)));
                }
            }
        }
        out.push_str(&format!(
            "\n-- \n{} Choose what Flare mails you: {}\n",
            self.reason,
            absolute(base, SETTINGS)
        ));
        out
    }

    /// The HTML body; `base` is Flare's public address.
    pub fn html(&self, base: &str) -> String {
        let mut out = String::from(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"></head>\
             <body style=\"font-family:system-ui,sans-serif;line-height:1.45;color:#1a1a1a\">",
        );
        out.push_str(&format!("<p>{}</p>", escape(&self.lead)));
        for section in &self.sections {
            if let Some(heading) = &section.heading {
                out.push_str(&format!(
                    "<h2 style=\"font-size:1.05em;margin:1.2em 0 .4em\">{}</h2>",
                    escape(heading)
                ));
            }
            if section.items.is_empty() {
                out.push_str(&format!("<p>{}</p>", escape(&section.empty)));
                continue;
            }
            out.push_str("<ul>");
            for item in &section.items {
                match &item.link {
                    Some(link) => out.push_str(&format!(
                        "<li><a href=\"{}\">{}</a></li>",
                        escape(&absolute(base, link)),
                        escape(&item.text)
                    )),
                    None => out.push_str(&format!("<li>{}</li>", escape(&item.text))),
                }
            }
            out.push_str("</ul>");
        }
        out.push_str(&format!(
            "<hr><p style=\"color:#555;font-size:.9em\">{} <a href=\"{}\">Choose what Flare mails you</a>.</p>\
             </body></html>",
            escape(&self.reason),
            escape(&absolute(base, SETTINGS))
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(text: &str) -> Mail {
        Mail {
            subject: subject(text),
            lead: text.into(),
            sections: vec![Section {
                heading: Some("Escalation".into()),
                items: vec![Item::new(
                    format!("#7 {text}"),
                    Some("/escalations/7".into()),
                )],
                empty: "Nothing.".into(),
            }],
            reason: "A decision is asked of you.".into(),
        }
    }

    #[test]
    fn both_bodies_say_the_same_with_absolute_links() {
        let m = mail("Checkout fails");
        let text = m.text("https://flare.example.com/");
        let html = m.html("https://flare.example.com/");
        for body in [&text, &html] {
            assert!(body.contains("Checkout fails"), "{body}");
            assert!(
                body.contains("https://flare.example.com/escalations/7"),
                "{body}"
            );
            assert!(
                body.contains("https://flare.example.com/settings/notifications"),
                "{body}"
            );
        }
    }

    #[test]
    fn user_text_is_text_in_the_html() {
        let html = mail("<script>alert(1)</script> \"quoted\"").html("http://x");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;"));
    }

    #[test]
    fn a_subject_is_one_short_line() {
        assert_eq!(subject("a\r\nBcc: x@y"), "a Bcc: x@y");
        let long = subject(&"word ".repeat(60));
        assert!(long.chars().count() <= 120 && long.ends_with('…'), "{long}");
    }
}
