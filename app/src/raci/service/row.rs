//! A stored RACI matrix as the client sees it (before its warnings are worked out). A body
//! that does not read back is an internal error naming the matrix, never a silent default.

use crate::entity::raci_matrix as row;
use crate::error::AppError;
use crate::raci::model::{Activity, Raci};
use serde::{Deserialize, Serialize};

/// The stored body: the matrix without its version, warnings or inheritance flag.
#[derive(Serialize, Deserialize)]
pub(super) struct Body {
    pub activities: Vec<Activity>,
    pub columns: Vec<String>,
}

/// The scope's own matrix: not inherited, no warnings yet.
impl TryFrom<&row::Model> for Raci {
    type Error = AppError;

    fn try_from(r: &row::Model) -> Result<Self, AppError> {
        let body: Body = serde_json::from_str(&r.body)
            .map_err(|_| AppError::corrupt("raci_matrix", r.id, "body", &r.body))?;
        Ok(Raci {
            activities: body.activities,
            columns: body.columns,
            version: r.version,
            warnings: Vec::new(),
            inherited: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn matrix(body: &str) -> row::Model {
        row::Model {
            id: 6,
            scope: "launch:1".into(),
            launch_id: 1,
            escalation_id: None,
            version: 3,
            body: body.into(),
            updated_at: Utc::now(),
            updated_by: None,
        }
    }

    #[test]
    fn a_stored_body_reads_back_with_the_rows_version_or_is_an_internal_error() {
        let read = Raci::try_from(&matrix(r#"{"activities": [], "columns": ["role:scribe"]}"#));
        assert_eq!(
            read.map(|r| (r.version, r.columns, r.inherited)),
            Ok((3, vec!["role:scribe".to_string()], false))
        );
        assert_eq!(Raci::try_from(&matrix("{}")), Err(AppError::Internal));
    }
}
