//! The demo's people: one account of every role plus the escalation team, each signing in
//! with the demo password.

use super::DEMO_PASSWORD;
use app::auth::Actor;
use app::auth::model::UserDraft;
use app::db::Db;
use app::error::AppError;
use app::event::model::EventActor;

/// (email, name, role, functional area)
pub const DEMO_USERS: [(&str, &str, &str, &str); 12] = [
    ("admin@flare.test", "Rosa Díaz", "admin", "operations"),
    (
        "facilitator@flare.test",
        "Farah Haddad",
        "facilitator",
        "operations",
    ),
    ("member@flare.test", "Jonas Berg", "member", "engineering"),
    (
        "executive@flare.test",
        "Elena Petrova",
        "executive",
        "leadership",
    ),
    ("viewer@flare.test", "Victor Lin", "viewer", "support"),
    ("priya@flare.test", "Priya Natarajan", "member", "product"),
    ("chloe@flare.test", "Chloé Martin", "member", "marketing"),
    ("sam@flare.test", "Sam Okafor", "member", "customer_success"),
    ("diego@flare.test", "Diego Álvarez", "member", "sales"),
    ("mei@flare.test", "Mei Tanaka", "member", "support"),
    // A second escalation lead, and a second engineering lead for the rotation.
    (
        "amara@flare.test",
        "Amara Osei",
        "facilitator",
        "operations",
    ),
    ("tomas@flare.test", "Tomás Rivera", "member", "engineering"),
];

/// Every demo user as an actor, in `DEMO_USERS` order: an account that already exists is
/// reused, a missing one is created (as Flare).
pub(super) async fn sign_up(db: &Db) -> Result<Vec<Actor>, AppError> {
    let flare = EventActor::system();
    let mut actors: Vec<Actor> = Vec::new();
    for (email, name, role, area) in DEMO_USERS {
        let existing = app::auth::service::find_by_email(&db.conn, email)
            .await
            .ok();
        let model = match existing {
            Some(model) => model,
            None => {
                let valid = UserDraft {
                    email: Some(email.into()),
                    name: Some(name.into()),
                    role: Some(role.into()),
                    functional_area: Some(area.into()),
                    password: Some(DEMO_PASSWORD.into()),
                }
                .validate()
                .map_err(AppError::invalid)?;
                app::auth::service::insert_user(db, &flare, valid).await?;
                app::auth::service::find_by_email(&db.conn, email).await?
            }
        };
        actors.push(Actor::try_from(&model)?);
    }
    Ok(actors)
}
