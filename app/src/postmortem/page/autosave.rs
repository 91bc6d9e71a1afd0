//! The post-mortem page's autosave: typing schedules a save of the sections typed into; a
//! failed save is retried (at once when the browser is back online); one save at a time;
//! every keystroke is kept in the browser until the server has it; a save someone else's
//! overtook becomes a conflict to settle.

use super::form::{Values, draft_of, values_of};
use crate::components::host::{self, Timer};
use crate::error::{AppError, FieldErrors};
use crate::postmortem::api::save_postmortem;
use crate::postmortem::model::{PostMortem, PostMortemDraft, Section, conflicts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeSet;

/// How long typing pauses before a draft is saved, and how soon a failed save is retried.
const SAVE_AFTER_MS: u32 = 1_500;
const RETRY_AFTER_MS: u32 = 3_000;

/// Where the autosave stands.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum SaveState {
    Idle,
    Saving,
    /// Saved at this browser time (ms).
    Saved(f64),
    /// The network failed; the text is kept here and sent again.
    Retrying,
    /// Refused (a field is invalid); the text is kept until it is fixed.
    Refused(String),
}

/// Someone else saved a section being edited here: what they saved and which sections clash.
#[derive(Clone, Debug)]
pub(super) struct Conflict {
    pub message: String,
    pub theirs: PostMortem,
    pub clash: Vec<Section>,
}

/// Where the pending save timer lives: the browser's timer is not `Send`, so it stays on its
/// thread; on the server the timer is empty and kept thread-safe, because a rendered page's
/// reactive owner may be dropped on another tokio worker than the one that rendered it.
#[cfg(feature = "hydrate")]
type TimerStorage = LocalStorage;
#[cfg(not(feature = "hydrate"))]
type TimerStorage = SyncStorage;

/// The editor's state: the post-mortem as last saved, the form's values, the sections typed
/// into since, and where saving stands.
#[derive(Clone, Copy)]
pub(super) struct Autosave {
    id: i64,
    pub pm: RwSignal<PostMortem>,
    pub values: RwSignal<Values>,
    pub dirty: RwSignal<BTreeSet<Section>>,
    pub state: RwSignal<SaveState>,
    pub errors: RwSignal<FieldErrors>,
    pub conflict: RwSignal<Option<Conflict>>,
    /// What a screen reader hears after a save.
    pub announce: RwSignal<String>,
    save_now: RwSignal<u64>,
    in_flight: StoredValue<bool>,
    again: StoredValue<bool>,
    timer: StoredValue<Option<Timer>, TimerStorage>,
}

/// Unsaved text kept in the browser, per post-mortem, until the server has it.
fn stash_key(id: i64) -> String {
    format!("flare.postmortem.{id}.unsaved")
}

impl Autosave {
    pub fn new(id: i64, postmortem: &PostMortem) -> Self {
        Self {
            id,
            pm: RwSignal::new(postmortem.clone()),
            values: RwSignal::new(values_of(postmortem)),
            dirty: RwSignal::new(BTreeSet::new()),
            state: RwSignal::new(SaveState::Idle),
            errors: RwSignal::new(FieldErrors::new()),
            conflict: RwSignal::new(None),
            announce: RwSignal::new(String::new()),
            save_now: RwSignal::new(0),
            in_flight: StoredValue::new(false),
            again: StoredValue::new(false),
            timer: StoredValue::new_with_storage(None),
        }
    }

    /// Starts saving: on request, into the browser as typed, restoring what an earlier
    /// visit left unsaved (when `editable`), and again once back online.
    pub fn start(self, editable: Memo<bool>) {
        Effect::watch(
            move || self.save_now.get(),
            move |_, _, _| self.save(),
            false,
        );
        // Every keystroke is kept in the browser until the server has it.
        Effect::new(move |_| {
            let editing = self.dirty.get();
            let unsaved: Values = self.values.with(|v| {
                v.iter()
                    .filter(|(k, _)| Section::of_field(k).is_some_and(|s| editing.contains(&s)))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            });
            let key = stash_key(self.id);
            if unsaved.is_empty() {
                host::store_text(&key, None);
            } else if let Ok(json) = serde_json::to_string(&unsaved) {
                host::store_text(&key, Some(&json));
            }
        });
        // Text left unsaved by an earlier visit (or a closed tab) is restored and sent.
        Effect::new(move |_| {
            let unsaved: Values = host::stored_text(&stash_key(self.id))
                .map(|json| serde_json::from_str(&json).unwrap_or_default())
                .unwrap_or_default();
            if unsaved.is_empty() || !editable.get_untracked() {
                return;
            }
            self.values.update(|v| v.extend(unsaved.clone()));
            self.dirty
                .update(|d| d.extend(unsaved.keys().filter_map(|k| Section::of_field(k))));
            self.announce
                .set("Restored text that was not saved yet.".into());
            self.save_soon();
        });
        // Back online: send at once instead of waiting for the next retry.
        host::on_online(move || {
            if self.state.get_untracked() == SaveState::Retrying {
                self.save_soon();
            }
        });
    }

    /// Saves as soon as the save under way (if any) is done.
    pub fn save_soon(self) {
        self.save_now.update(|n| *n += 1);
    }

    fn schedule(self, ms: u32) {
        let timer = host::after(ms, move || self.save_soon());
        self.timer.set_value(Some(timer));
    }

    /// The form's text for `key`.
    pub fn value(self, key: &str) -> String {
        self.values
            .with(|v| v.get(key).cloned().unwrap_or_default())
    }

    /// Typing into a field: its section is unsaved until the next save.
    pub fn edit(self, key: &str, value: String) {
        self.values.update(|v| {
            v.insert(key.to_string(), value);
        });
        if let Some(section) = Section::of_field(key) {
            self.dirty.update(|d| {
                d.insert(section);
            });
        }
        if self.state.get_untracked() != SaveState::Retrying {
            self.schedule(SAVE_AFTER_MS);
        }
    }

    /// Takes a fresh copy from the server, keeping what is being edited here.
    pub fn adopt(self, fresh: PostMortem) {
        let fresh_values = values_of(&fresh);
        let editing = self.dirty.get_untracked();
        self.values.update(|v| {
            for (key, value) in fresh_values {
                if Section::of_field(&key).is_none_or(|s| !editing.contains(&s)) {
                    v.insert(key, value);
                }
            }
        });
        self.pm.set(fresh);
    }

    fn save(self) {
        let sections = self.dirty.get_untracked();
        if sections.is_empty() {
            return;
        }
        if self.in_flight.get_value() {
            self.again.set_value(true);
            return;
        }
        let sent = self.values.get_untracked();
        let draft = match draft_of(&sent, &sections, self.pm.with_untracked(|p| p.version)) {
            Ok(draft) => draft,
            Err(invalid) => {
                self.errors.set(invalid);
                self.state
                    .set(SaveState::Refused("a number is not a number".into()));
                return;
            }
        };
        let Ok(body) = serde_json::to_string(&draft) else {
            return;
        };
        self.in_flight.set_value(true);
        self.state.set(SaveState::Saving);
        spawn_local(async move {
            let result = save_postmortem(self.id, body).await;
            self.in_flight.set_value(false);
            self.settle(result, &sent, &sections);
            if self.again.get_value() {
                self.again.set_value(false);
                self.save_soon();
            }
        });
    }

    /// What a save's answer means for the page.
    fn settle(
        self,
        result: Result<PostMortem, AppError>,
        sent: &Values,
        sections: &BTreeSet<Section>,
    ) {
        match result {
            Ok(saved) => {
                // Sections typed into since this save went out stay unsaved.
                let now = self.values.get_untracked();
                self.dirty.update(|d| {
                    d.retain(|s| {
                        now.iter().any(|(k, v)| {
                            Section::of_field(k) == Some(*s) && sent.get(k) != Some(v)
                        })
                    })
                });
                self.errors.set(FieldErrors::new());
                self.adopt(saved);
                self.state.set(SaveState::Saved(host::now_ms()));
                self.announce.set("Saved.".into());
            }
            Err(AppError::Transport { .. } | AppError::Internal) => {
                self.state.set(SaveState::Retrying);
                self.announce.set("Not saved — retrying.".into());
                self.schedule(RETRY_AFTER_MS);
            }
            Err(AppError::Conflict { message, current }) => {
                let theirs = current.and_then(|c| serde_json::from_value::<PostMortem>(c).ok());
                match theirs {
                    Some(theirs) => {
                        let base = self.pm.with_untracked(|p| p.version);
                        let editing: Vec<Section> = sections.iter().copied().collect();
                        let clash = conflicts(&theirs.changed, &editing, base);
                        self.conflict.set(Some(Conflict {
                            message,
                            theirs,
                            clash,
                        }));
                        self.state.set(SaveState::Refused(
                            "someone else saved the same section".into(),
                        ));
                    }
                    None => self.state.set(SaveState::Refused(message)),
                }
            }
            Err(AppError::Validation { message, fields }) => {
                self.errors.set(fields);
                self.state.set(SaveState::Refused(message));
            }
            Err(other) => self.state.set(SaveState::Refused(other.to_string())),
        }
    }

    /// An immediate save (times, remediation, timeline marks): same rules as the autosave.
    pub fn send(self, draft: PostMortemDraft, done: &'static str) {
        let Ok(body) = serde_json::to_string(&PostMortemDraft {
            version: Some(self.pm.with_untracked(|p| p.version)),
            ..draft
        }) else {
            return;
        };
        spawn_local(async move {
            match save_postmortem(self.id, body).await {
                Ok(saved) => {
                    self.errors.set(FieldErrors::new());
                    self.adopt(saved);
                    self.announce.set(done.into());
                }
                Err(AppError::Validation { message, fields }) => {
                    self.errors.set(fields);
                    self.announce.set(message);
                }
                Err(error) => self.announce.set(error.to_string()),
            }
        });
    }

    /// The save state in words, against the browser's `clock` (ms).
    pub fn status_text(self, clock: RwSignal<f64>) -> String {
        match self.state.get() {
            SaveState::Idle if self.pm.with(|p| p.version > 0) => "All changes saved".to_string(),
            SaveState::Idle => String::new(),
            SaveState::Saving => "Saving…".to_string(),
            SaveState::Saved(at) => {
                let secs = ((clock.get() - at) / 1_000.0).max(0.0) as i64;
                if secs < 5 {
                    "Saved just now".to_string()
                } else if secs < 60 {
                    format!("Saved {} s ago", secs / 5 * 5)
                } else {
                    format!("Saved {} min ago", secs / 60)
                }
            }
            SaveState::Retrying => "Not saved — retrying".to_string(),
            SaveState::Refused(why) => format!("Not saved — {why}"),
        }
    }

    /// Whether the last save failed or was refused.
    pub fn is_unsaved(self) -> bool {
        self.state
            .with(|s| matches!(s, SaveState::Retrying | SaveState::Refused(_)))
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    /// The server renders a page on one tokio worker and may drop its reactive owner on
    /// another: the editor's timer must survive that (it panicked in `SendWrapper` before).
    #[test]
    fn the_timer_may_be_dropped_on_another_thread() {
        let owner = Owner::new();
        owner.with(|| {
            let timer: StoredValue<Option<Timer>, TimerStorage> =
                StoredValue::new_with_storage(None);
            timer.set_value(Some(host::after(10, || {})));
        });
        let dropped = std::thread::spawn(move || drop(owner)).join();
        assert!(dropped.is_ok(), "dropping the owner elsewhere panicked");
    }
}
