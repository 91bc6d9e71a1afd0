//! The conflict banner: another editor saved a newer version while this one has unsaved
//! edits. It names what changed there and lets the editor load that version or keep their
//! own edits; nothing is overwritten until they choose.

use super::EditorState;
use crate::raci::model::Raci;
use leptos::prelude::*;

/// Activities whose letters or presence differ between two versions, by name.
fn changed_activities(mine: &Raci, theirs: &Raci) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for a in &theirs.activities {
        if !mine.activities.iter().any(|b| b == a) {
            names.push(a.name.clone());
        }
    }
    for b in &mine.activities {
        if !theirs.activities.iter().any(|a| a.name == b.name) && !names.contains(&b.name) {
            names.push(b.name.clone());
        }
    }
    if mine.columns != theirs.columns {
        names.push("the columns".into());
    }
    names
}

#[component]
pub(super) fn ConflictBanner(state: EditorState) -> impl IntoView {
    let EditorState {
        base,
        work,
        status,
        incoming,
        ..
    } = state;
    move || {
        incoming.get().map(|(theirs, who)| {
            let changed = work.with_untracked(|mine| changed_activities(mine, &theirs));
            let keep = theirs.version;
            let take = theirs.clone();
            view! {
                <div class="conflict" role="alert">
                    <p>{format!(
                        "{who} saved version {} while you were editing. Changed there: {}.",
                        theirs.version,
                        if changed.is_empty() { "nothing you edited".to_string() } else { changed.join(", ") }
                    )}</p>
                    <p class="actions">
                        <button type="button" on:click=move |_| {
                            base.set(take.clone());
                            work.set(take.clone());
                            incoming.set(None);
                            status.set("Loaded their version; your edits were dropped.".into());
                        }>"Load their version"</button>
                        " "
                        <button type="button" class="secondary" on:click=move |_| {
                            base.update(|b| b.version = keep);
                            incoming.set(None);
                            status.set("Kept your edits; saving will replace their version.".into());
                        }>"Keep my edits"</button>
                    </p>
                </div>
            }
        })
    }
}
