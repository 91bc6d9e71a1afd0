//! `/reviews`: every quarterly governance review, and opening the next one; `/reviews/{id}`
//! is `sheet`, one review in full.

mod sheet;

pub use sheet::ReviewPage;

use super::api::{OpenReview, load_reviews};
use crate::auth::model::Permission;
use crate::components::{Form, FormMessage, LoadError, Loading, SelectField, Submit, can};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ReviewsPage() -> impl IntoView {
    let open = ServerAction::<OpenReview>::new();
    let reviews = Resource::new(move || open.version().get(), |_| load_reviews());
    let facilitator = can(Permission::Facilitate);
    // Once a review is open, go to it.
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(review)) = open.value().get() {
            navigate(&format!("/reviews/{}", review.id), Default::default());
        }
    });
    view! {
        <Title text="Governance reviews" />
        <h1>"Governance reviews"</h1>
        <p>"Each quarter, representatives of every function review the protocol against Flare's own figures and adjust its roles, metrics and rhythms."</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match reviews.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(view) => {
                        let quarters: Vec<(String, String)> = view.quarters.iter().map(|q| (q.clone(), q.clone())).collect();
                        view! {
                        {if view.reviews.is_empty() {
                            view! { <p class="empty">"No review yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul>
                                    {view.reviews.into_iter().map(|r| view! {
                                        <li>
                                            <a href=format!("/reviews/{}", r.id)>{format!("Review of {}", r.period)}</a>
                                            " · " {r.signed_off.unwrap_or_else(|| "open".into())}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {facilitator.get_untracked().then(|| view! {
                            <Form action=open label="Open a review" class="card narrow stack" id_prefix="open-">
                                <FormMessage />
                                <SelectField label="Quarter" name="period" options=quarters />
                                <Submit label="Open the review" busy="Computing the figures…" />
                            </Form>
                        })}
                    }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
