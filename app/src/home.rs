//! `/`: the caller's home. Executives see first what waits on them (open decisions, stalled
//! first); everyone sees the launches and their health.

use crate::auth::model::Role;
use crate::components::CurrentUser;
use crate::decision::api::load_needs_decision;
use crate::decision::views::RequestSummary;
use crate::launch::list::Launches;
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
    view! {
        <Title text="Launches" />
        <h1>"Launches"</h1>
        <Show when=executive>
            <WaitingOnYou />
        </Show>
        <Launches />
    }
}

#[component]
fn WaitingOnYou() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_needs_decision());
    view! {
        <section class="waiting" aria-labelledby="waiting-h">
            <h2 id="waiting-h">"Needs decision"</h2>
            <Transition fallback=crate::components::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) if !d.items.is_empty() => {
                            let now = d.now;
                            view! {
                                {d.items.into_iter().take(5).map(|item| view! {
                                    <div class="card"><RequestSummary request=item.request now /></div>
                                }).collect_view()}
                                <p><A href="/decisions">"Decide on the Needs decision page"</A></p>
                            }.into_any()
                        }
                        Ok(_) => view! { <p class="empty">"No decision is waiting."</p> }.into_any(),
                        Err(error) => view! { <p class="form-message" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
