//! `/`: the caller's home. Executives see first what is asked of them, then the other open
//! decisions (stalled first); facilitators see their next meetings and the governance review
//! due; everyone sees the latest word on open tier 1–2 escalations and the launches with
//! their health.

use crate::auth::model::Role;
use crate::components::{CurrentUser, LocalTime};
use crate::decision::api::load_needs_decision;
use crate::decision::views::RequestSummary;
use crate::launch::list::Launches;
use crate::meeting::api::load_govern_home;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let user = use_context::<CurrentUser>();
    let executive = move || {
        user.and_then(|u| u.get())
            .is_some_and(|u| u.role == Role::Executive)
    };
    let facilitator = move || {
        user.and_then(|u| u.get())
            .is_some_and(|u| u.role == Role::Facilitator)
    };
    view! {
        <Title text="Launches" />
        <h1>"Launches"</h1>
        <Show when=executive>
            <WaitingOnYou />
        </Show>
        <Show when=facilitator>
            <Governing />
        </Show>
        <LatestWord />
        <Launches />
    }
}

/// For executives: the open requests asked of them first, then the others waiting.
#[component]
fn WaitingOnYou() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_needs_decision());
    view! {
        <Transition fallback=crate::components::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let now = d.now;
                        let (mine, others) = d.asked_of_me();
                        view! {
                            <section class="waiting asked" aria-labelledby="asked-h">
                                <h2 id="asked-h">"Asked of you"</h2>
                                {if mine.is_empty() {
                                    view! { <p class="empty">"Nothing is asked of you."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="requests" aria-label="Asked of you">
                                            {mine.into_iter().map(|item| view! {
                                                <li class="card"><RequestSummary request=item.request now /></li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <section class="waiting" aria-labelledby="waiting-h">
                                <h2 id="waiting-h">"Needs decision"</h2>
                                {if others.is_empty() {
                                    view! { <p class="empty">"No other decision is waiting."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="requests" aria-label="Waiting on others">
                                            {others.into_iter().take(5).map(|item| view! {
                                                <li class="card"><RequestSummary request=item.request now /></li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                <p><A href="/decisions">"Decide on the Needs decision page"</A></p>
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <p class="form-message" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// For facilitators: the next meetings across launches, and the governance review due.
#[component]
fn Governing() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_govern_home());
    view! {
        <Transition fallback=crate::components::Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(home) => view! {
                        <section class="waiting" aria-labelledby="next-meetings-h">
                            <h2 id="next-meetings-h">"Next meetings"</h2>
                            {if home.meetings.is_empty() {
                                view! { <p class="empty">"No meeting booked."</p> }.into_any()
                            } else {
                                view! {
                                    <ul aria-label="Next meetings">
                                        {home.meetings.into_iter().map(|m| view! {
                                            <li>
                                                <A href=format!("/meetings/{}", m.id)>{m.title}</A>
                                                {format!(" · {} · ", m.launch)}
                                                <LocalTime at=m.starts_at />
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <p>
                                {format!("Governance review of {} due by {}: ", home.review_period, home.review_due.format("%-d %B %Y"))}
                                {match home.review_id {
                                    Some(id) => view! { <A href=format!("/reviews/{id}")>"open it"</A> }.into_any(),
                                    None => view! { <A href="/reviews">"not opened yet"</A> }.into_any(),
                                }}
                            </p>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <p class="form-message" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The newest stand-up update of each open tier 1–2 escalation, one tap away on a phone.
#[component]
fn LatestWord() -> impl IntoView {
    let data = Resource::new(|| (), |_| crate::update::api::latest_word());
    view! {
        <section class="latest" aria-labelledby="latest-h">
            <h2 id="latest-h">"Latest on tier 1–2"</h2>
            <Transition fallback=crate::components::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No tier 1–2 escalation is open."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="latest-list" aria-label="Open tier 1–2 escalations">
                                {list.into_iter().map(|word| view! {
                                    <li class="card">
                                        <details>
                                            <summary>
                                                <span class=format!("tier tier-{}", word.tier.get())>{word.tier.to_string()}</span>
                                                " " {word.title.clone()} " · " {word.stage.label()}
                                            </summary>
                                            {match word.update {
                                                Some(u) => view! {
                                                    <dl class="facts">
                                                        <dt>"Problem"</dt><dd class="prose">{u.problem}</dd>
                                                        <dt>"Impact"</dt><dd class="prose">{u.impact}</dd>
                                                        <dt>"Mitigation"</dt><dd class="prose">{u.mitigation}</dd>
                                                        {u.decision_required.map(|d| view! { <dt>"Decision required"</dt><dd class="prose">{d}</dd> })}
                                                    </dl>
                                                    <p class="meta">{format!("By {} · ", u.author.name)}<crate::components::LocalTime at=u.created_at /></p>
                                                }.into_any(),
                                                None => view! { <p class="empty">"No stand-up update yet."</p> }.into_any(),
                                            }}
                                            <p><A href=format!("/escalations/{}", word.escalation_id)>"Open the escalation"</A></p>
                                        </details>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <p class="form-message" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
