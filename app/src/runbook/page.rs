//! `/runbook`: the tiers, their red flags and response times; facilitators edit them.

use super::api::{SaveTier, get_runbook};
use super::model::{TierPolicy, span_text};
use crate::auth::model::Permission;
use crate::components::{CheckField, Form, FormMessage, NumberField, Submit, TextArea};
use crate::components::{LoadError, Loading, can};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RunbookPage() -> impl IntoView {
    let save = ServerAction::<SaveTier>::new();
    let runbook = Resource::new(move || save.version().get(), |_| get_runbook());
    let facilitator = can(Permission::Facilitate);
    view! {
        <Title text="Runbook" />
        <h1>"Runbook"</h1>
        <p>"How fast each tier is acknowledged, updated and decided. Every change is a new version, recorded in the audit log."</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match runbook.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(book) => {
                        let version = book.version;
                        view! {
                            <p class="meta">{format!("Version {version}")}</p>
                            <div class="table-wrap" tabindex="0" role="region" aria-label="Response times per tier, scrollable">
                                <table>
                                    <caption>"Response times per tier"</caption>
                                    <thead><tr>
                                        <th scope="col">"Tier"</th>
                                        <th scope="col">"Red flags"</th>
                                        <th scope="col">"Acknowledge within"</th>
                                        <th scope="col">"Update every"</th>
                                        <th scope="col">"Decide within"</th>
                                        <th scope="col">"Executives told"</th>
                                    </tr></thead>
                                    <tbody>
                                        {book.tiers.iter().map(|p| view! {
                                            <tr>
                                                <th scope="row"><span class=format!("tier tier-{}", p.tier.get())>{p.tier.to_string()}</span></th>
                                                <td>{p.red_flags.clone()}</td>
                                                <td>{span_text(p.acknowledge_within())}</td>
                                                <td>{span_text(p.update_every())}</td>
                                                <td>{span_text(p.decide_within())}</td>
                                                <td>{if p.notify_executives { "Yes" } else { "No" }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Show when=move || facilitator.get()>
                                {book.tiers.clone().into_iter().map(|policy| view! { <TierForm policy version save /> }).collect_view()}
                            </Show>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn TierForm(policy: TierPolicy, version: i64, save: ServerAction<SaveTier>) -> impl IntoView {
    let tier = policy.tier.get();
    view! {
        <details class="card narrow">
            <summary>{format!("Edit tier {tier}")}</summary>
            <Form action=save label=format!("Edit tier {tier}") class="stack" id_prefix=format!("tier{tier}-")>
                <FormMessage />
                <input type="hidden" name="version" value=version />
                <input type="hidden" name="tier" value=tier />
                <TextArea label="Red flags" name="red_flags" value=policy.red_flags.clone() rows=2 />
                <NumberField label="Acknowledge within (minutes)" name="acknowledge_minutes" value=policy.acknowledge_minutes.to_string() min=1 max=super::model::MAX_MINUTES />
                <NumberField label="Update every (minutes)" name="update_minutes" value=policy.update_minutes.to_string() min=1 max=super::model::MAX_MINUTES />
                <NumberField label="Decide within (minutes)" name="decide_minutes" value=policy.decide_minutes.to_string() min=1 max=super::model::MAX_MINUTES />
                <CheckField label="Notify executives" name="notify_executives" checked=policy.notify_executives />
                <Submit label=format!("Save tier {tier}") />
            </Form>
        </details>
    }
}
