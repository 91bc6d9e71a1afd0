//! Opening the database and bringing its schema up to date.

use app::db::{Db, DbOptions};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DbBackend, DbErr};

/// The advisory lock several `flare serve` processes take so only one migrates at a time.
const MIGRATION_LOCK: i64 = 0x464c_4152_454d; // "FLAREM"

/// Opens the database; the message names what failed, for a clean exit.
pub async fn open(options: &DbOptions) -> Result<Db, String> {
    Db::connect(options)
        .await
        .map_err(|e| format!("cannot open the database at {}: {e}", redact(&options.url)))
}

/// Applies pending migrations. On PostgreSQL several processes may start at once: an
/// advisory lock, held on one connection, lets one migrate while the others wait.
pub async fn migrate(db: &Db) -> Result<(), DbErr> {
    if db.backend() == DbBackend::Postgres {
        let pool = db.conn.get_postgres_connection_pool();
        let mut lock = pool
            .acquire()
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *lock)
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        let result = Migrator::up(&db.conn, None).await;
        sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *lock)
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        result
    } else {
        Migrator::up(&db.conn, None).await
    }
}

/// Ready when the database answers and nothing is left to migrate.
pub async fn readiness(db: &Db) -> Result<(), String> {
    db.conn
        .execute_unprepared("SELECT 1")
        .await
        .map_err(|e| format!("database unreachable: {e}"))?;
    let pending = Migrator::get_pending_migrations(&db.conn)
        .await
        .map_err(|e| format!("cannot read migrations: {e}"))?;
    if pending.is_empty() {
        Ok(())
    } else {
        Err(format!("{} migrations not applied", pending.len()))
    }
}

/// A URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://flare:s3cret@db:5432/flare"),
            "postgres://flare:***@db:5432/flare"
        );
        assert_eq!(
            redact("postgres://flare@db/flare"),
            "postgres://flare@db/flare"
        );
        assert_eq!(
            redact("sqlite://data/flare.db?mode=rwc"),
            "sqlite://data/flare.db?mode=rwc"
        );
    }
}
