//! `/admin`: users (create, role, disable) and API tokens (issue, revoke).

use super::api::{CreateToken, CreateUser, RevokeToken, UpdateUser, list_tokens, list_users};
use super::model::{FunctionalArea, Permission, Role, UserDraft};
use crate::components::{Form, FormMessage, LocalTime, SelectField, Submit, TextField};
use crate::components::{LoadError, Loading, can};
use leptos::prelude::*;
use leptos_meta::Title;

fn role_options() -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect()
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let allowed = can(Permission::Administer);
    let create = ServerAction::<CreateUser>::new();
    let update = ServerAction::<UpdateUser>::new();
    let issue = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let users = Resource::new(
        move || (create.version().get(), update.version().get()),
        |_| list_users(),
    );
    let tokens = Resource::new(
        move || (issue.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    let validate_user = Callback::new(|input: CreateUser| {
        UserDraft {
            email: Some(input.email),
            name: Some(input.name),
            role: Some(input.role),
            functional_area: Some(input.functional_area),
            password: Some(input.password),
        }
        .validate()
        .map(|_| ())
    });
    view! {
        <Title text="Admin" />
        <h1>"Users and tokens"</h1>
        <p><a href="/admin/webhooks">"Webhooks"</a>" — send events to chat and other tools."</p>
        <Show when=move || allowed.get() fallback=|| view! { <p>"Only admins manage users and tokens."</p> }>
            <section aria-labelledby="users-h">
                <h2 id="users-h">"Users"</h2>
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        match users.await {
                            Err(e) => view! { <LoadError error=e /> }.into_any(),
                            Ok(list) => view! {
                                <div class="table-wrap">
                                    <table>
                                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Area"</th><th scope="col">"Role and access"</th></tr></thead>
                                        <tbody>
                                            {list.into_iter().map(|u| {
                                                let id = u.id.0;
                                                let access_label = format!("Access of {}", u.name);
                                                let role_label = format!("Role of {}", u.name);
                                                view! {
                                                    <tr>
                                                        <th scope="row">{u.name.clone()}</th>
                                                        <td>{u.email.clone()}</td>
                                                        <td>{u.functional_area.label()}</td>
                                                        <td>
                                                            <ActionForm action=update attr:class="inline" attr:aria-label=access_label>
                                                                <input type="hidden" name="id" value=id />
                                                                <label class="sr-only" for=format!("role-{id}")>{role_label}</label>
                                                                <select id=format!("role-{id}") name="role">
                                                                    {role_options().into_iter().map(|(v, l)| {
                                                                        let sel = v == u.role.as_str();
                                                                        view! { <option value=v selected=sel>{l}</option> }
                                                                    }).collect_view()}
                                                                </select>
                                                                <label>
                                                                    <input type="checkbox" name="active" value="true" checked=u.active />
                                                                    " Active"
                                                                </label>
                                                                <button type="submit">"Save"</button>
                                                            </ActionForm>
                                                        </td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any(),
                        }
                    })}
                </Transition>
                {move || match update.value().get() {
                    Some(Err(e)) => Some(view! { <p class="form-message" role="alert">{e.to_string()}</p> }),
                    _ => None,
                }}
                <details class="card">
                    <summary>"Add a user"</summary>
                    <Form action=create validate=validate_user label="Add a user" class="stack">
                        <FormMessage />
                        <TextField label="Email" name="email" kind="email" />
                        <TextField label="Name" name="name" />
                        <SelectField label="Role" name="role" options=role_options() selected="member" />
                        <SelectField label="Functional area" name="functional_area"
                            options=FunctionalArea::ALL.iter().map(|a| (a.as_str().to_string(), a.label().to_string())).collect()
                            selected="engineering" />
                        <TextField label="Initial password" name="password" kind="password" autocomplete="new-password" hint="At least 10 characters." />
                        <Submit label="Add user" />
                    </Form>
                </details>
            </section>
            <section aria-labelledby="tokens-h">
                <h2 id="tokens-h">"API tokens"</h2>
                <p>"A token acts as its user, with that user's role. It is shown once, when created."</p>
                {move || issue.value().get().map(|r| match r {
                    Ok(secret) => view! {
                        <p class="ok" role="status">"New token (copy it now): " <code class="secret">{secret}</code></p>
                    }.into_any(),
                    Err(e) => view! { <p class="form-message" role="alert">{e.to_string()}</p> }.into_any(),
                })}
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        let list = tokens.await.unwrap_or_default();
                        let people = users.await.unwrap_or_default();
                        let name_of = move |id| people.iter().find(|u| u.id == id).map(|u| u.name.clone()).unwrap_or_default();
                        view! {
                            <div class="table-wrap">
                                <table>
                                    <thead><tr><th scope="col">"Label"</th><th scope="col">"Acts as"</th><th scope="col">"Last used"</th><th scope="col">"Status"</th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|t| view! {
                                            <tr>
                                                <th scope="row">{t.label.clone()}</th>
                                                <td>{name_of(t.user_id)}</td>
                                                <td>{t.last_used_at.map(|at| view! { <LocalTime at /> }.into_any()).unwrap_or_else(|| "never".into_any())}</td>
                                                <td>
                                                    {if t.revoked {
                                                        "Revoked".into_any()
                                                    } else {
                                                        view! {
                                                            <ActionForm action=revoke attr:class="inline" attr:aria-label=format!("Revoke {}", t.label)>
                                                                <input type="hidden" name="id" value=t.id />
                                                                <button type="submit">"Revoke"</button>
                                                            </ActionForm>
                                                        }.into_any()
                                                    }}
                                                </td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                    })}
                </Transition>
                <details class="card">
                    <summary>"Create a token"</summary>
                    <Form action=issue label="Create a token" class="stack">
                        <FormMessage />
                        <Transition fallback=Loading>
                            {move || Suspend::new(async move {
                                let options = users.await.unwrap_or_default().into_iter()
                                    .filter(|u| u.active)
                                    .map(|u| (u.id.0.to_string(), format!("{} ({})", u.name, u.role.label())))
                                    .collect::<Vec<_>>();
                                view! { <SelectField label="Acts as" name="user_id" options /> }
                            })}
                        </Transition>
                        <TextField label="Label" name="label" hint="What uses it, e.g. \"release pipeline\"." />
                        <Submit label="Create token" />
                    </Form>
                </details>
            </section>
        </Show>
    }
}
