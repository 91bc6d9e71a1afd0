//! User accounts: finding them, creating them, changing their role, disabling them, and
//! naming them for other features.

use super::passwords::hash_password;
use super::row::role_of;
use super::store;
use crate::auth::model::{Actor, Permission, Person, Role, User, UserDraft, UserId, ValidUser};
use crate::db::Db;
use crate::entity::{api_token, user};
use crate::error::AppError;
use crate::event::change::{Change, UserCreated, UserDisabled, UserEnabled, UserRoleChanged};
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

/// An active user by id, or `None`.
pub async fn active_user<C: ConnectionTrait>(
    db: &C,
    id: UserId,
) -> Result<Option<user::Model>, AppError> {
    Ok(user::Entity::find_by_id(id.0)
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await?)
}

/// Creates a user; `by` is who did it (the CLI acts as Flare itself).
pub async fn insert_user(db: &Db, by: &EventActor, valid: ValidUser) -> Result<User, AppError> {
    let password_hash = hash_password(valid.password).await?;
    let txn = db.write().await?;
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(valid.email.clone()))
        .one(&*txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::invalid_field(
            "email",
            "is already used by another account",
        ));
    }
    let now = Utc::now();
    let (role, functional_area) = (valid.role, valid.functional_area);
    let model = user::ActiveModel {
        email: Set(valid.email),
        name: Set(valid.name),
        role: Set(role.as_str().into()),
        functional_area: Set(functional_area.as_str().into()),
        active: Set(true),
        password_hash: Set(password_hash),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    append(
        &*txn,
        by,
        NewEvent::new(
            "user",
            model.id,
            UserCreated {
                email: model.email.clone(),
                name: model.name.clone(),
                role,
                functional_area,
            },
        ),
    )
    .await?;
    txn.commit().await?;
    User::try_from(&model)
}

/// Admins create users from the admin page.
pub async fn create_user(db: &Db, actor: &Actor, draft: &UserDraft) -> Result<User, AppError> {
    actor.require(Permission::Administer)?;
    let valid = draft.validate().map_err(AppError::invalid)?;
    insert_user(db, &actor.into(), valid).await
}

pub async fn list_users<C: ConnectionTrait>(db: &C, actor: &Actor) -> Result<Vec<User>, AppError> {
    actor.require(Permission::Read)?;
    user::Entity::find()
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?
        .iter()
        .map(User::try_from)
        .collect()
}

pub async fn find_by_email<C: ConnectionTrait>(
    db: &C,
    email: &str,
) -> Result<user::Model, AppError> {
    user::Entity::find()
        .filter(user::Column::Email.eq(crate::auth::model::normalize_email(email)))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("No user has the email {email}.")))
}

/// Changes a user's role (admins; the CLI as Flare).
pub async fn set_role(db: &Db, by: &EventActor, id: UserId, role: Role) -> Result<User, AppError> {
    let txn = db.write().await?;
    let model = user::Entity::find_by_id(id.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("User {id} does not exist.")))?;
    let mut active: user::ActiveModel = model.into();
    active.role = Set(role.as_str().into());
    active.updated_at = Set(Utc::now());
    let model = active.update(&*txn).await?;
    append(
        &*txn,
        by,
        NewEvent::new("user", model.id, UserRoleChanged { role }),
    )
    .await?;
    txn.commit().await?;
    User::try_from(&model)
}

/// Disables (or re-enables) a user. Disabling ends their sessions and revokes their tokens.
pub async fn set_active(
    db: &Db,
    by: &EventActor,
    id: UserId,
    active_flag: bool,
) -> Result<User, AppError> {
    let txn = db.write().await?;
    let model = user::Entity::find_by_id(id.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("User {id} does not exist.")))?;
    let mut active: user::ActiveModel = model.into();
    active.active = Set(active_flag);
    active.updated_at = Set(Utc::now());
    let model = active.update(&*txn).await?;
    if !active_flag {
        store::end_sessions_of(&*txn, id).await?;
        api_token::Entity::update_many()
            .col_expr(
                api_token::Column::RevokedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(api_token::Column::UserId.eq(id.0))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&*txn)
            .await?;
    }
    let change: Change = if active_flag {
        UserEnabled {}.into()
    } else {
        UserDisabled {}.into()
    };
    append(&*txn, by, NewEvent::new("user", model.id, change)).await?;
    txn.commit().await?;
    User::try_from(&model)
}

/// Admin page: change role or disable, as the acting admin.
pub async fn administer_user(
    db: &Db,
    actor: &Actor,
    id: UserId,
    role: Option<Role>,
    active: Option<bool>,
) -> Result<User, AppError> {
    actor.require(Permission::Administer)?;
    if id == actor.id && (active == Some(false) || role.is_some_and(|r| r != Role::Admin)) {
        return Err(AppError::forbidden(
            "You cannot demote or disable yourself; ask another admin.",
        ));
    }
    let mut user = None;
    if let Some(role) = role {
        user = Some(set_role(db, &actor.into(), id, role).await?);
    }
    if let Some(active) = active {
        user = Some(set_active(db, &actor.into(), id, active).await?);
    }
    user.ok_or_else(|| AppError::bad_request("Nothing to change."))
}

/// Whether any user exists (`flare serve` explains how to create the first admin if not).
pub async fn has_users<C: ConnectionTrait>(db: &C) -> Result<bool, AppError> {
    Ok(user::Entity::find().one(db).await?.is_some())
}

/// Names for a set of user ids, in one query.
pub async fn people<C: ConnectionTrait>(
    db: &C,
    mut ids: Vec<i64>,
) -> Result<HashMap<i64, Person>, AppError> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, Person::from(u)))
        .collect())
}

/// An active user who must hold one of `roles`, for a named field; 422 otherwise.
pub async fn require_person<C: ConnectionTrait>(
    db: &C,
    field: &str,
    id: i64,
    roles: &[Role],
) -> Result<user::Model, AppError> {
    let user = active_user(db, UserId(id))
        .await?
        .ok_or_else(|| AppError::invalid_field(field, "must be an active user"))?;
    let role = role_of(&user)?;
    if !roles.is_empty() && !roles.contains(&role) {
        let names: Vec<_> = roles.iter().map(|r| r.as_str()).collect();
        return Err(AppError::invalid_field(
            field,
            format!("must be a user whose role is {}", names.join(" or ")),
        ));
    }
    Ok(user)
}
