//! `/my-work`: what waits on me — my action items (overdue first), decisions asked of me
//! (stalled first), and the escalations I own.

use super::api::{MyWork, SetActionDone, load_my_work};
use crate::components::LocalTime;
use crate::components::{LoadError, Loading};
use crate::decision::views::RequestSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn MyWorkPage() -> impl IntoView {
    let toggle = ServerAction::<SetActionDone>::new();
    let work = Resource::new(move || toggle.version().get(), |_| load_my_work());
    view! {
        <Title text="My work" />
        <h1>"My work"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match work.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(MyWork { now, actions, decisions, owned }) => view! {
                        <section aria-labelledby="mine-actions">
                            <h2 id="mine-actions">"Action items"</h2>
                            {if actions.is_empty() {
                                view! { <p class="empty">"No open action items."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="actions-list">
                                        {actions.into_iter().map(|a| {
                                            let overdue = a.is_overdue(now);
                                            view! {
                                                <li class="action" class:overdue=overdue>
                                                    <p><strong>{a.title.clone()}</strong>
                                                        {a.escalation_id.map(|e| view! { " · " <A href=format!("/escalations/{e}")>{a.escalation_title.clone().unwrap_or_default()}</A> })}</p>
                                                    <p class="meta">"Due " <LocalTime at=a.due_at />
                                                        {overdue.then(|| view! { " · " <span class="flag">"Overdue"</span> })}</p>
                                                    <ActionForm action=toggle attr:class="inline" attr:aria-label=format!("Mark {} done", a.title)>
                                                        <input type="hidden" name="id" value=a.id />
                                                        <input type="hidden" name="version" value=a.version />
                                                        <input type="hidden" name="done" value="true" />
                                                        <button type="submit">"Mark done"</button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <section aria-labelledby="mine-decisions">
                            <h2 id="mine-decisions">"Decisions asked of me"</h2>
                            {if decisions.is_empty() {
                                view! { <p class="empty">"None."</p> }.into_any()
                            } else {
                                decisions.into_iter().map(|request| view! { <div class="card"><RequestSummary request now /></div> }).collect_view().into_any()
                            }}
                        </section>
                        <section aria-labelledby="mine-owned">
                            <h2 id="mine-owned">"Escalations I own"</h2>
                            <crate::escalation::list::EscalationTable escalations=owned caption="Open, highest priority first" />
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
