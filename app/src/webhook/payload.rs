//! What a delivery sends: the body in the webhook's format, and its signature.

use super::model::WebhookFormat;
use crate::event::model::Event;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

/// What a Slack message says about the escalation an event belongs to, read when it is sent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct About {
    pub title: String,
    pub tier: String,
    pub stage: String,
    pub owner: Option<String>,
    /// Absolute link to the escalation's page.
    pub link: String,
}

/// `sha256=<hex HMAC-SHA256 of body keyed with the secret's UTF-8 bytes>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The body: the Event JSON (`json`), or Slack's `{text, blocks}` — one readable line, and
/// blocks with the title, tier, stage, owner and link.
pub fn body(format: WebhookFormat, event: &Event, about: Option<&About>, home: &str) -> Value {
    match format {
        WebhookFormat::Json => serde_json::to_value(event).unwrap_or(Value::Null),
        WebhookFormat::Slack => slack(event, about, home),
    }
}

/// Slack reads `&`, `<` and `>` in a message's `text` as markup (`<!channel>` pings a whole
/// channel): escaped, so what people wrote stays text. Blocks use `plain_text`.
fn slack_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn slack(event: &Event, about: Option<&About>, home: &str) -> Value {
    let what = crate::postmortem::timeline::describe(event);
    let Some(about) = about else {
        let text = format!("{what} — by {} · {home}", event.actor.name);
        return json!({
            "text": slack_text(&text),
            "blocks": [{"type": "section", "text": {"type": "plain_text", "text": text}}],
        });
    };
    let owner = about.owner.as_deref().unwrap_or("no owner yet");
    let text = format!(
        "[{}] {} — {what} (by {}) · {} · owner {owner} · {}",
        about.tier, about.title, event.actor.name, about.stage, about.link
    );
    json!({
        "text": slack_text(&text),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": about.title}},
            {"type": "section", "text": {"type": "plain_text", "text": format!("{what} (by {})", event.actor.name)}},
            {"type": "section", "fields": [
                {"type": "plain_text", "text": format!("Tier: {}", about.tier)},
                {"type": "plain_text", "text": format!("Stage: {}", about.stage)},
                {"type": "plain_text", "text": format!("Owner: {owner}")},
            ]},
            {"type": "actions", "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": "Open in Flare"}, "url": about.link},
            ]},
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_text_keeps_what_people_wrote_as_text() {
        assert_eq!(
            slack_text("<!channel> & <https://x|click>"),
            "&lt;!channel&gt; &amp; &lt;https://x|click&gt;"
        );
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_the_body_in_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
