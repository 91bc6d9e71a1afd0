//! Forms that work with JavaScript off (a plain POST to the server function) and, with it on,
//! check the model's validation first and show every message next to its field.

use crate::error::{AppError, FieldErrors};
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos::server_fn::{Http, ServerFn, client::Client, codec::PostUrl, request::ClientReq};
use serde::de::DeserializeOwned;

/// What a form's fields read: the message for each field, and whether it is submitting.
#[derive(Clone, Copy)]
pub struct FormState {
    pub errors: Signal<FieldErrors>,
    pub pending: Signal<bool>,
    pub message: Signal<Option<String>>,
    /// Prefix of the fields' element ids, so several forms can share a page.
    pub prefix: StoredValue<String>,
}

/// The element id of field `name` in the surrounding form.
fn field_id(name: &str) -> String {
    let prefix = use_context::<FormState>()
        .map(|s| s.prefix.get_value())
        .unwrap_or_default();
    format!("{prefix}{name}")
}

fn field_error(name: &'static str) -> Signal<Option<String>> {
    let state = use_context::<FormState>();
    Signal::derive(move || state.and_then(|s| s.errors.with(|e| e.get(name).cloned())))
}

/// A form bound to a server action. `validate` runs in the browser before sending, with the
/// same rules the server applies; the server's answer is shown the same way.
#[component]
pub fn Form<S, O>(
    action: ServerAction<S>,
    /// Client-side check with the model's rules; `Err` shows the messages and sends nothing.
    #[prop(optional, into)]
    validate: Option<Callback<S, Result<(), FieldErrors>>>,
    /// Accessible name of the form.
    #[prop(into)]
    label: String,
    #[prop(optional, into)] class: String,
    /// Prefix for the fields' element ids when the page has several forms with one field name.
    #[prop(optional, into)]
    id_prefix: String,
    children: Children,
) -> impl IntoView
where
    S: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, O>, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    <<S::Client as Client<AppError>>::Request as ClientReq<AppError>>::FormData:
        From<leptos::web_sys::FormData>,
    S::Output: Clone + Send + Sync + 'static,
    S::Client: Client<AppError>,
{
    let client_errors = RwSignal::new(FieldErrors::new());
    let value = action.value();
    let errors = Signal::derive(move || {
        let mut all = client_errors.get();
        if let Some(Err(AppError::Validation { fields, .. })) = value.get() {
            for (k, v) in fields {
                all.entry(k).or_insert(v);
            }
        }
        all
    });
    let message = Signal::derive(move || match value.get() {
        Some(Err(err @ AppError::Validation { .. })) => Some(err.to_string()),
        Some(Err(err)) => Some(err.to_string()),
        _ if !client_errors.with(FieldErrors::is_empty) => {
            Some(AppError::invalid(client_errors.get()).to_string())
        }
        _ => None,
    });
    let pending = action.pending();
    provide_context(FormState {
        errors,
        pending: pending.into(),
        message,
        prefix: StoredValue::new(id_prefix),
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match S::from_event(&ev) {
            Ok(input) => {
                if let Some(validate) = validate
                    && let Err(found) = validate.run(input.clone())
                {
                    client_errors.set(found);
                    value.set(None);
                    return;
                }
                client_errors.set(FieldErrors::new());
                action.dispatch(input);
            }
            Err(err) => value.set(Some(Err(AppError::bad_request(err.to_string())))),
        }
    };
    view! {
        <form method="post" action=S::url() on:submit=on_submit class=class aria-label=label novalidate>
            {children()}
        </form>
    }
}

/// The form-level message: what went wrong, announced to screen readers.
#[component]
pub fn FormMessage() -> impl IntoView {
    let state = use_context::<FormState>();
    let message = Signal::derive(move || state.and_then(|s| s.message.get()));
    view! {
        <p class="form-message" role="alert" aria-live="assertive">
            {move || message.get()}
        </p>
    }
}

/// The submit button; shows progress while the action runs.
#[component]
pub fn Submit(
    #[prop(into)] label: String,
    #[prop(optional, into)] busy: Option<String>,
) -> impl IntoView {
    let pending = use_context::<FormState>()
        .map(|s| s.pending)
        .unwrap_or_default();
    let busy = busy.unwrap_or_else(|| "Saving…".into());
    view! {
        <button type="submit" class="primary" aria-busy=move || pending.get().to_string()>
            {move || if pending.get() { busy.clone() } else { label.clone() }}
        </button>
    }
}

fn describe(id: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// The label, hint and error around a control.
#[component]
fn FieldShell(
    label: &'static str,
    id: String,
    hint: Option<&'static str>,
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            {children()}
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            <p class="error" id=format!("{id}-error")>{move || error.get()}</p>
        </div>
    }
}

/// A one-line text input. `name` is both the form field and the error key.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] max_length: Option<usize>,
    /// The error key when it differs from `name` (`impact.customer` for `impact_customer`).
    #[prop(optional)]
    error_key: Option<&'static str>,
) -> impl IntoView {
    let error = field_error(error_key.unwrap_or(name));
    let id = field_id(name);
    let described = id.clone();
    view! {
        <FieldShell label id=id.clone() hint error>
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                autocomplete=autocomplete
                maxlength=max_length
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=move || describe(&described, hint.is_some(), error.with(Option::is_some))
            />
        </FieldShell>
    }
}

/// A whole number within a range.
#[component]
pub fn NumberField(
    label: &'static str,
    name: &'static str,
    #[prop(into)] value: String,
    min: i64,
    max: i64,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] error_key: Option<&'static str>,
) -> impl IntoView {
    let error = field_error(error_key.unwrap_or(name));
    let id = field_id(name);
    let described = id.clone();
    view! {
        <FieldShell label id=id.clone() hint error>
            <input
                id=id
                name=name
                type="number"
                inputmode="numeric"
                min=min
                max=max
                step="1"
                value=value
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=move || describe(&described, hint.is_some(), error.with(Option::is_some))
            />
        </FieldShell>
    }
}

/// Multi-line text.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let error = field_error(name);
    let id = field_id(name);
    let described = id.clone();
    view! {
        <FieldShell label id=id.clone() hint error>
            <textarea
                id=id
                name=name
                rows=rows
                maxlength=crate::validate::MAX_TEXT
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=move || describe(&described, hint.is_some(), error.with(Option::is_some))
            >
                {super::raw_text::rcdata(value)}
            </textarea>
        </FieldShell>
    }
}

/// A choice among `(value, label)` options.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] error_key: Option<&'static str>,
) -> impl IntoView {
    let error = field_error(error_key.unwrap_or(name));
    let id = field_id(name);
    let described = id.clone();
    view! {
        <FieldShell label id=id.clone() hint error>
            <select
                id=id
                name=name
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=move || describe(&described, hint.is_some(), error.with(Option::is_some))
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </FieldShell>
    }
}

/// A checkbox that submits `value` when checked, with an optional hint below it.
#[component]
pub fn CheckField(
    label: &'static str,
    name: &'static str,
    #[prop(optional)] checked: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{name}-hint");
    view! {
        <div class="field check" class:hinted=hint.is_some()>
            <input id=name name=name type="checkbox" value="true" checked=checked
                aria-describedby=hint.map(|_| hint_id.clone()) />
            <label for=name>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
        </div>
    }
}
