//! The launch form's fields, shared by "New launch" and "Edit launch".

use super::model::{Launch, LaunchStatus};
use crate::auth::model::{Role, User};
use crate::components::{SelectField, TextArea, TextField};
use leptos::prelude::*;

fn people(users: &[User], roles: &[Role]) -> Vec<(String, String)> {
    std::iter::once((String::new(), "Not yet chosen".to_string()))
        .chain(
            users
                .iter()
                .filter(|u| u.active && roles.contains(&u.role))
                .map(|u| (u.id.0.to_string(), u.name.clone())),
        )
        .collect()
}

/// Name, target date, description, sponsor, lead (and status when editing).
#[component]
pub fn LaunchFields(users: Vec<User>, #[prop(optional)] launch: Option<Launch>) -> impl IntoView {
    let editing = launch.is_some();
    let l = launch.clone();
    let get = move |f: fn(&Launch) -> String| l.as_ref().map(f).unwrap_or_default();
    view! {
        <TextField label="Name" name="name" value=get(|l| l.name.clone()) max_length=200 required=true />
        <TextField label="Target date" name="target_date" kind="date" value=get(|l| l.target_date.to_string()) required=true />
        <TextArea label="Description" name="description" value=get(|l| l.description.clone()) rows=3 />
        <SelectField label="Senior sponsor" name="sponsor_id"
            options=people(&users, &[Role::Executive, Role::Admin])
            selected=get(|l| l.sponsor.as_ref().map(|p| p.id.0.to_string()).unwrap_or_default())
            hint="An executive; joins urgent meetings about stalled decisions." />
        <SelectField label="Escalation lead" name="lead_id"
            options=people(&users, &[Role::Facilitator, Role::Admin])
            selected=get(|l| l.lead.as_ref().map(|p| p.id.0.to_string()).unwrap_or_default())
            hint="A facilitator; runs this launch's escalations." />
        {editing.then(|| view! {
            <SelectField label="Status" name="status"
                options=LaunchStatus::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string())).collect()
                selected=get(|l| l.status.as_str().to_string()) />
        })}
    }
}
