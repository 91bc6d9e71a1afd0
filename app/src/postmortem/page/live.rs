//! Other people's saves, live: a fresh copy is taken in when they saved elsewhere, and a
//! conflict is raised when they saved a section being edited here.

use super::autosave::{Autosave, Conflict};
use crate::postmortem::api::load_postmortem;
use crate::postmortem::model::{Section, conflicts};
use crate::realtime::{Live, ServerMessage};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Follows the escalation's events from anyone but `me`.
pub(super) fn follow_others(autosave: Autosave, id: i64, me: i64) {
    let live = use_context::<Live>().unwrap_or_default();
    live.on_message(move |message| {
        let ServerMessage::Event { event } = message else {
            return;
        };
        if event.escalation_id.map(|e| e.0) != Some(id) || event.actor.id.map(|a| a.0) == Some(me) {
            return;
        }
        let who = event.actor.name.clone();
        spawn_local(async move {
            let Ok(fresh) = load_postmortem(id).await else {
                return;
            };
            let fresh = fresh.postmortem;
            let base = autosave.pm.with_untracked(|p| p.version);
            if fresh.version < base {
                return;
            }
            let editing: Vec<Section> = autosave.dirty.get_untracked().into_iter().collect();
            let clash = conflicts(&fresh.changed, &editing, base);
            if clash.is_empty() {
                if fresh.version > base {
                    autosave.announce.set(format!("{who} saved changes."));
                }
                autosave.adopt(fresh);
            } else {
                autosave.conflict.set(Some(Conflict {
                    message: format!("{who} saved the same section while you were editing."),
                    theirs: fresh,
                    clash,
                }));
            }
        });
    });
    Effect::new(move |_| live.start());
}
