//! The form that raises an escalation.

use super::api::RaiseEscalation;
use super::model::{RaiseForm, Trigger};
use crate::auth::model::User;
use crate::components::{
    Form, FormMessage, NumberField, SelectField, Submit, TextArea, TextField, host,
};
use crate::launch::LaunchId;
use leptos::prelude::*;

/// Title, trigger, tier, impact scores, owner and deadline.
#[component]
pub fn RaiseEscalationForm(launch_id: LaunchId, users: Vec<User>) -> impl IntoView {
    let raise = ServerAction::<RaiseEscalation>::new();
    let validate = Callback::new(|input: RaiseEscalation| {
        let draft = RaiseForm::from(input).to_draft()?;
        draft.validate(crate::components::time::now()).map(|_| ())
    });
    let owners: Vec<(String, String)> = std::iter::once((String::new(), "Nobody yet".to_string()))
        .chain(
            users
                .iter()
                .filter(|u| u.active)
                .map(|u| (u.id.0.to_string(), u.name.clone())),
        )
        .collect();
    let tz_offset = RwSignal::new(String::new());
    let on_deadline = move |ev: leptos::ev::Event| {
        let local = leptos::prelude::event_target_value(&ev);
        tz_offset.set(
            host::timezone_offset_at(&local)
                .map(|minutes| minutes.to_string())
                .unwrap_or_default(),
        );
    };
    view! {
        <Form action=raise validate label="Raise an escalation" class="stack">
            <FormMessage />
            <input type="hidden" name="launch_id" value=launch_id.0 />
            <TextField label="Title" name="title" max_length=200 required=true
                hint="What threatens the launch, in a few words." />
            <TextArea label="Description" name="description" rows=3 />
            <SelectField label="Trigger" name="trigger"
                options=Trigger::ALL.iter().map(|t| (t.as_str().to_string(), t.label().to_string())).collect()
                selected="customer_defect" />
            <SelectField label="Tier" name="tier"
                options=(1..=4).map(|t| (t.to_string(), format!("Tier {t}{}", match t { 1 => " (most severe)", 4 => " (least severe)", _ => "" }))).collect()
                selected="3" />
            <fieldset class="impact">
                <legend>"Impact, 0 (none) to 5 (severe)"</legend>
                <NumberField label="Customer journey" name="impact_customer" error_key="impact.customer" value="0" min=0 max=5 />
                <NumberField label="Revenue" name="impact_revenue" error_key="impact.revenue" value="0" min=0 max=5 />
                <NumberField label="Compliance" name="impact_compliance" error_key="impact.compliance" value="0" min=0 max=5 />
            </fieldset>
            <SelectField label="Owner" name="owner_id" options=owners hint="Who has authority to commit resources." />
            <div class="field">
                <label for="deadline">"Deadline"</label>
                <input id="deadline" name="deadline" type="datetime-local" on:input=on_deadline aria-describedby="deadline-hint" />
                <p class="hint" id="deadline-hint">"In your time zone (UTC if scripts are off)."</p>
            </div>
            <input type="hidden" name="tz_offset" value=move || tz_offset.get() />
            <Submit label="Raise escalation" busy="Raising…" />
        </Form>
    }
}
