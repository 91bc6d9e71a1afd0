//! The sign-in page and the account page (change your own password).

use crate::components::CurrentUser;
use crate::components::{Form, FormMessage, Submit, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login`: email and password. A plain form post, so it works before the page is live.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.with(|q| q.get("error"));
    let next = move || query.with(|q| q.get("next")).unwrap_or_else(|| "/".into());
    view! {
        <Title text="Sign in" />
        <section class="sign-in">
            <h1>"Sign in to Flare"</h1>
            <form method="post" action="/login" class="stack" aria-label="Sign in">
                {move || error().map(|e| view! { <p class="form-message" role="alert">{e}</p> })}
                <input type="hidden" name="next" value=next />
                <div class="field">
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="username" required />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                </div>
                <button type="submit" class="primary">"Sign in"</button>
            </form>
        </section>
    }
}

/// `/account`: who you are, and changing your password.
#[component]
pub fn AccountPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let change = ServerAction::<super::api::ChangePassword>::new();
    view! {
        <Title text="Your account" />
        <h1>"Your account"</h1>
        {move || user.get().map(|me| view! {
            <p>{me.name} " · " {me.email} " · " {me.role.label()}</p>
        })}
        <p><a href="/settings/notifications">"Email notifications: choose what Flare mails you"</a></p>
        <section class="card narrow">
            <h2>"Change password"</h2>
            <Form action=change label="Change password" class="stack">
                <FormMessage />
                <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password" />
                <TextField label="New password" name="new_password" kind="password" autocomplete="new-password"
                    hint="At least 10 characters. Your other sessions will be signed out." />
                <Submit label="Change password" />
                {move || matches!(change.value().get(), Some(Ok(()))).then(|| view! {
                    <p class="ok" role="status">"Password changed."</p>
                })}
            </Form>
        </section>
    }
}
