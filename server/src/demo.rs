//! `flare demo`: a realistic demo so the first screen is not empty — one user of every role
//! (plus the escalation team) and a launch with a dozen escalations across triggers, tiers
//! and stages, success criteria with two weeks of metrics and one breach, all created through
//! the services so the event log tells their story.
//!
//! The seed answers what it made; the command line prints it.

mod escalations;
mod history;
mod launches;
mod metrics;
mod people;
mod postmortem;

pub use people::DEMO_USERS;

use app::db::Db;
use app::error::AppError;
use sea_orm::EntityTrait;

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "flare-demo-2026";

/// What the seed made: the launch the escalations are on, and how many there are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seeded {
    pub launch: String,
    pub escalations: usize,
}

impl Seeded {
    /// Where to sign in and as whom: one line with the address and password, then one per
    /// role (admin, facilitator, member, executive, viewer).
    pub fn sign_in_sheet(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "Demo ready: \"{}\" with {} escalations. Sign in at http://127.0.0.1:3000/login with password {DEMO_PASSWORD} as:",
            self.launch, self.escalations
        )];
        for (email, name, role, _) in DEMO_USERS.iter().take(5) {
            lines.push(format!("  {role:<12} {email:<26} ({name})"));
        }
        lines
    }
}

/// Seeds the demo. With `if_empty`, does nothing (and answers `None`) when a launch already
/// exists.
pub async fn seed(db: &Db, if_empty: bool) -> Result<Option<Seeded>, AppError> {
    let has_launch = app::entity::launch::Entity::find()
        .one(&db.conn)
        .await?
        .is_some();
    if if_empty && has_launch {
        tracing::info!("the database already has launches; no demo seeded");
        return Ok(None);
    }
    let actors = people::sign_up(db).await?;
    let launch = launches::create(db, &actors).await?;
    let created = escalations::raise(db, &actors, launch.id).await?;
    history::work(db, &actors, &created).await?;
    postmortem::write(db, &actors, &created).await?;
    metrics::measure(db, &actors, launch.id).await?;
    Ok(Some(Seeded {
        launch: launch.name,
        escalations: created.len(),
    }))
}
