//! The timeline built from the escalation's events, with the facilitators' pins, notes and
//! hidden marks (saved at once).

use crate::components::LocalTime;
use crate::postmortem::model::{NoteDraft, PostMortem, PostMortemDraft, Section, TimelineEntry};
use leptos::prelude::*;

#[component]
pub(super) fn TimelineSection(
    pm: RwSignal<PostMortem>,
    can_annotate: bool,
    send: impl Fn(PostMortemDraft, &'static str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let section = Section::Timeline;
    let mark = move |entry: &TimelineEntry, pinned: bool, hidden: bool, note: String| {
        send(
            PostMortemDraft {
                timeline: Some(vec![NoteDraft {
                    event_id: entry.event_id,
                    pinned: Some(pinned),
                    hidden: Some(hidden),
                    note: Some(note),
                }]),
                ..Default::default()
            },
            "Timeline saved.",
        )
    };
    view! {
        <section class="card pm-section" aria-labelledby=format!("pm-{}-h", section.key())>
            <h2 id=format!("pm-{}-h", section.key())>{section.label()}</h2>
            <p class="hint">{section.prompt()}
                {can_annotate.then_some(" Pin what mattered, add notes, hide noise (hidden entries stay in the log).")}</p>
            <ol class="timeline">
                {move || pm.with(|p| p.timeline.clone()).into_iter().filter(|e| can_annotate || !e.hidden).map(|entry| {
                    let note = RwSignal::new(entry.note.clone());
                    let (e1, e2, e3) = (entry.clone(), entry.clone(), entry.clone());
                    view! {
                        <li class:pinned=entry.pinned class:hidden-entry=entry.hidden>
                            <span class="when"><LocalTime at=entry.at /></span>
                            " " <span class="who">{entry.actor.clone()}</span>
                            {entry.pinned.then(|| view! { <span class="badge">" Pinned"</span> })}
                            {entry.hidden.then(|| view! { <span class="badge">" Hidden from the export"</span> })}
                            <p>{entry.text.clone()}</p>
                            {(!entry.note.is_empty()).then(|| view! { <p class="note">{format!("Note: {}", entry.note)}</p> })}
                            {can_annotate.then(|| view! {
                                <div class="timeline-tools no-print">
                                    <button type="button" class="link" on:click=move |_| mark(&e1, !e1.pinned, e1.hidden, e1.note.clone())>
                                        {if entry.pinned { "Unpin" } else { "Pin" }}<span class="sr-only">{format!(" entry {}", entry.event_id)}</span>
                                    </button>
                                    <button type="button" class="link" on:click=move |_| mark(&e2, e2.pinned, !e2.hidden, e2.note.clone())>
                                        {if entry.hidden { "Show" } else { "Hide" }}<span class="sr-only">{format!(" entry {}", entry.event_id)}</span>
                                    </button>
                                    <label class="sr-only" for=format!("pm-note-{}", entry.event_id)>{format!("Note on entry {}", entry.event_id)}</label>
                                    <input id=format!("pm-note-{}", entry.event_id) placeholder="Note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                                    <button type="button" on:click=move |_| mark(&e3, e3.pinned, e3.hidden, note.get_untracked())>
                                        "Save note"<span class="sr-only">{format!(" on entry {}", entry.event_id)}</span>
                                    </button>
                                </div>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
