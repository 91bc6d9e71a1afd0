//! `/decisions` — "Needs decision": every open request, stalled first — those asked of the
//! caller, then the rest — each linking to its escalation; decide from here (also on a
//! phone), or call an urgent meeting.

use super::api::{CallMeeting, NeedsDecision, RecordDecision, RequestItem, load_needs_decision};
use super::views::{DecisionForm, RequestSummary};
use crate::components::{Form, FormMessage, Submit, TextArea};
use crate::components::{LoadError, Loading};
use crate::event::Payload;
use crate::event::change::MeetingCalled;
use crate::realtime::{Live, ServerMessage};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DecisionsPage() -> impl IntoView {
    let record = ServerAction::<RecordDecision>::new();
    let meeting = ServerAction::<CallMeeting>::new();
    let changed = RwSignal::new(0u32);
    let live = use_context::<Live>().unwrap_or_default();
    live.on_message(move |message| {
        if let ServerMessage::Event { event } = message
            && (event.kind.starts_with("decision") || event.kind == MeetingCalled::KIND)
        {
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| live.start());
    let data = Resource::new(
        move || {
            (
                record.version().get(),
                meeting.version().get(),
                changed.get(),
            )
        },
        |_| load_needs_decision(),
    );
    view! {
        <Title text="Needs decision" />
        <h1>"Needs decision"</h1>
        <p>"Every open decision request, stalled ones first: those asked of you, then the rest."</p>
        {move || record.value().get().and_then(Result::ok).map(|d| view! {
            <p class="ok" role="status">{format!("Decision recorded: {}", d.decision)}</p>
        })}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(data) if data.items.is_empty() => {
                        view! { <p class="empty">"No decision is waiting. "</p> }.into_any()
                    }
                    Ok(data) => {
                        let (mine, others) = data.asked_of_me();
                        let NeedsDecision { now, people, .. } = data;
                        let block = move |items: Vec<RequestItem>, label: &'static str| view! {
                            <ul class="requests" aria-label=label>
                                {items.into_iter().map(|item| view! {
                                    <li class="card"><RequestBlock item now people=people.clone() record meeting /></li>
                                }).collect_view()}
                            </ul>
                        };
                        view! {
                            <section class="asked" aria-labelledby="asked-h">
                                <h2 id="asked-h">"Asked of you"</h2>
                                {if mine.is_empty() {
                                    view! { <p class="empty">"Nothing is asked of you."</p> }.into_any()
                                } else {
                                    block.clone()(mine, "Asked of you").into_any()
                                }}
                            </section>
                            {(!others.is_empty()).then(|| view! {
                                <section aria-labelledby="others-h">
                                    <h2 id="others-h">"Waiting on others"</h2>
                                    {block(others, "Open decision requests")}
                                </section>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn RequestBlock(
    item: RequestItem,
    now: chrono::DateTime<chrono::Utc>,
    people: Vec<crate::auth::Person>,
    record: ServerAction<RecordDecision>,
    meeting: ServerAction<CallMeeting>,
) -> impl IntoView {
    let RequestItem {
        request,
        can_decide,
        can_call_meeting,
        sponsor,
    } = item;
    let id = request.id;
    let escalation_id = request.escalation_id;
    let stalled = request.is_stalled(now);
    let generated = super::model::agenda(&request);
    let existing = request.meeting.clone();
    view! {
        <RequestSummary request=request.clone() now />
        {existing.map(|m| view! {
            <p class="meta">{format!("Urgent meeting called by {} for ", m.called_by.name)}<crate::components::LocalTime at=m.starts_at />
                {format!(" with {}.", m.participants.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", "))}</p>
        })}
        {can_decide.then(|| view! {
            <details class="decide" open=stalled>
                <summary>"Record the decision"</summary>
                <DecisionForm action=record escalation_id id_prefix=format!("r{id}-") meeting_id=request.meeting.as_ref().map(|m| m.id) />
            </details>
        })}
        {(can_call_meeting && stalled).then(|| view! {
            <details class="meeting">
                <summary>"Call an urgent meeting"</summary>
                <Form action=meeting label="Call an urgent meeting" class="stack" id_prefix=format!("m{id}-")>
                    <FormMessage />
                    <input type="hidden" name="request_id" value=id />
                    <fieldset class="people">
                        <legend>"Participants"</legend>
                        {people.iter().enumerate().map(|(i, p)| {
                            let suggested = sponsor.as_ref().is_some_and(|s| s.id == p.id) || p.id == request.addressed_to.id;
                            let field = format!("m{id}-p{}", p.id.0);
                            view! {
                                <div class="field check">
                                    <input type="checkbox" id=field.clone() name=format!("participant_ids[{i}]") value=p.id.0 checked=suggested />
                                    <label for=field>{p.name.clone()}{suggested.then_some(" (suggested)")}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <div class="field">
                        <label for=format!("m{id}-starts_at")>"When"</label>
                        <input id=format!("m{id}-starts_at") name="starts_at" type="datetime-local" required />
                    </div>
                    <crate::components::TzOffset />
                    <TextArea label="Agenda" name="agenda" value=generated rows=7 />
                    <Submit label="Call the meeting" busy="Calling…" />
                </Form>
            </details>
        })}
    }
}
