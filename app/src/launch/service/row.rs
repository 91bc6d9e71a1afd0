//! A stored launch as the client sees it; a status that does not parse is an internal error
//! naming the launch, never a silent default.

use crate::auth::Person;
use crate::auth::service::people;
use crate::entity::launch;
use crate::error::AppError;
use crate::launch::model::{Launch, LaunchId, LaunchStatus};
use sea_orm::ConnectionTrait;

/// A stored launch and the people it names: its senior sponsor and escalation lead.
pub struct LaunchRow {
    pub model: launch::Model,
    pub sponsor: Option<Person>,
    pub lead: Option<Person>,
}

impl TryFrom<LaunchRow> for Launch {
    type Error = AppError;

    fn try_from(row: LaunchRow) -> Result<Self, AppError> {
        let LaunchRow {
            model: m,
            sponsor,
            lead,
        } = row;
        let status = LaunchStatus::parse(&m.status)
            .ok_or_else(|| AppError::corrupt("launch", m.id, "status", &m.status))?;
        Ok(Launch {
            id: LaunchId(m.id),
            name: m.name,
            target_date: m.target_date,
            description: m.description,
            status,
            sponsor,
            lead,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// Launches as the client sees them, reading their sponsors' and leads' names in one query.
pub(super) async fn to_wire<C: ConnectionTrait>(
    db: &C,
    models: Vec<launch::Model>,
) -> Result<Vec<Launch>, AppError> {
    let ids: Vec<i64> = models
        .iter()
        .flat_map(|m| [m.sponsor_id, m.lead_id])
        .flatten()
        .collect();
    let names = people(db, ids).await?;
    models
        .into_iter()
        .map(|model| {
            let sponsor = model.sponsor_id.and_then(|id| names.get(&id).cloned());
            let lead = model.lead_id.and_then(|id| names.get(&id).cloned());
            Launch::try_from(LaunchRow {
                model,
                sponsor,
                lead,
            })
        })
        .collect()
}

/// One launch as the client sees it.
pub(super) async fn one_to_wire<C: ConnectionTrait>(
    db: &C,
    model: launch::Model,
) -> Result<Launch, AppError> {
    to_wire(db, vec![model])
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn launch(status: &str) -> LaunchRow {
        LaunchRow {
            model: launch::Model {
                id: 2,
                name: "Checkout".into(),
                target_date: Utc::now().date_naive(),
                description: String::new(),
                status: status.into(),
                sponsor_id: None,
                lead_id: None,
                version: 1,
                created_at: Utc::now(),
                updated_at: Utc::now(),
                metrics_sampled_at: None,
            },
            sponsor: None,
            lead: None,
        }
    }

    #[test]
    fn an_unknown_stored_status_is_an_internal_error() {
        assert_eq!(
            Launch::try_from(launch("planning")).map(|l| l.status),
            Ok(LaunchStatus::Planning)
        );
        assert_eq!(Launch::try_from(launch("paused")), Err(AppError::Internal));
    }
}
