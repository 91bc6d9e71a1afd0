//! `/settings/notifications`: each person chooses what Flare mails them.

use super::api::{SaveEmailChoices, load_email_settings};
use crate::components::{CheckField, Form, FormMessage, LoadError, Loading, Submit};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EmailSettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveEmailChoices>::new();
    let settings = Resource::new(move || save.version().get(), |_| load_email_settings());
    view! {
        <Title text="Email notifications" />
        <p class="crumbs"><a href="/notifications">"← Notifications"</a></p>
        <h1>"Email notifications"</h1>
        <p>"Flare always tells you in the app. Choose what it also mails you."</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match settings.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(s) => {
                        let c = s.choices;
                        view! {
                            <p class="meta">"Mail goes to " <strong class="break">{s.email}</strong> "."</p>
                            {(!s.sending).then(|| view! {
                                <p class="flag" role="note">"This Flare does not send mail yet (its operator has not set FLARE_SMTP_URL). Your choices are kept for when it does."</p>
                            })}
                            <Form action=save label="Email choices" class="card stack">
                                <FormMessage />
                                <fieldset>
                                    <legend>"Mail me at once"</legend>
                                    <CheckField label="What is asked of me" name="asked_of_me" checked=c.asked_of_me
                                        hint="A decision asked of me, an escalation or action given to me, a missed acknowledgement or update on what I own or lead, a meeting I am called to." />
                                    <CheckField label="Stalls" name="stalls" checked=c.stalls
                                        hint="Decisions past due and expired workarounds I am told of." />
                                    <CheckField label="Tier 1–2 escalations where I am a stakeholder" name="major_escalations" checked=c.major_escalations
                                        hint="Raised and resolved, with the outcome." />
                                    <CheckField label="Success-criterion breaches" name="breaches" checked=c.breaches
                                        hint="A criterion of a launch I am on duty for or lead is breached, or recovers." />
                                </fieldset>
                                <fieldset>
                                    <legend>"Mail me once a day"</legend>
                                    <CheckField label="Daily digest" name="daily_digest" checked=c.daily_digest
                                        hint="Launch health, new tier 1–2 escalations, decisions taken and what waits on me. Executives get it unless they untick it." />
                                </fieldset>
                                <Submit label="Save choices" busy="Saving…" />
                                {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
                                    <p class="ok" role="status">"Saved."</p>
                                })}
                            </Form>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
