//! A stored rotation as the client sees it. A body that does not read back is an internal
//! error naming the launch, never a silent default.

use crate::entity::rotation as row;
use crate::error::AppError;
use crate::team::model::{FunctionalRole, Rotation};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// The stored body: everything but the version, which is the row's.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct Body {
    pub period_days: i64,
    pub starts_at: DateTime<Utc>,
    pub roles: BTreeMap<FunctionalRole, Vec<i64>>,
}

impl TryFrom<&row::Model> for Rotation {
    type Error = AppError;

    fn try_from(r: &row::Model) -> Result<Self, AppError> {
        let body: Body = serde_json::from_str(&r.body)
            .map_err(|_| AppError::corrupt("rotation", r.launch_id, "body", &r.body))?;
        Ok(Rotation {
            period_days: body.period_days,
            starts_at: body.starts_at,
            roles: body.roles,
            version: r.version,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rotation(body: &str) -> row::Model {
        row::Model {
            launch_id: 1,
            version: 2,
            body: body.into(),
            updated_at: Utc::now(),
            updated_by: None,
        }
    }

    #[test]
    fn a_stored_body_reads_back_with_the_rows_version_or_is_an_internal_error() {
        let body = r#"{"period_days": 7, "starts_at": "2026-01-05T00:00:00Z", "roles": {}}"#;
        let read = Rotation::try_from(&rotation(body)).unwrap();
        assert_eq!((read.period_days, read.version), (7, 2));
        assert_eq!(
            Rotation::try_from(&rotation("[]")).err(),
            Some(AppError::Internal)
        );
    }
}
