//! The database handle services write through: SQLite or PostgreSQL behind one SeaORM
//! connection, write transactions that keep event ids in commit order, and a signal that
//! new events were committed (for the real-time relay).

pub mod versioned;

use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// A pooled connection plus the "events committed" signal: a counter every commit bumps,
/// which any number of listeners can watch without stealing each other's wake-ups.
#[derive(Clone, Debug)]
pub struct Db {
    pub conn: DatabaseConnection,
    committed: Arc<watch::Sender<u64>>,
}

/// How durable SQLite commits are; see the README's "Durability" note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSync {
    /// fsync the WAL at checkpoints only: survives an app crash, may lose the last
    /// transactions on power loss. The default.
    #[default]
    Normal,
    /// fsync on every commit: survives power loss, several times slower.
    Full,
}

/// Options for opening the database.
#[derive(Clone, Debug)]
pub struct DbOptions {
    pub url: String,
    pub max_connections: u32,
    pub sqlite_sync: SqliteSync,
    /// PostgreSQL only: the schema to use (tests give each run its own).
    pub schema: Option<String>,
}

impl DbOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
            sqlite_sync: SqliteSync::Normal,
            schema: None,
        }
    }
}

impl Db {
    /// Opens (and for a SQLite file, creates) the database.
    pub async fn connect(options: &DbOptions) -> Result<Self, DbErr> {
        let mut connect = ConnectOptions::new(options.url.clone());
        connect
            .max_connections(options.max_connections)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false);
        if let Some(schema) = &options.schema {
            connect.set_schema_search_path(schema.clone());
        }
        if options.url.starts_with("sqlite:") {
            let sync = match options.sqlite_sync {
                SqliteSync::Normal => sea_orm::sqlx::sqlite::SqliteSynchronous::Normal,
                SqliteSync::Full => sea_orm::sqlx::sqlite::SqliteSynchronous::Full,
            };
            connect.map_sqlx_sqlite_opts(move |o| {
                o.create_if_missing(true)
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sync)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    .pragma("temp_store", "memory")
            });
        }
        let conn = Database::connect(connect).await?;
        Ok(Self::from_connection(conn))
    }

    pub fn from_connection(conn: DatabaseConnection) -> Self {
        Self {
            conn,
            committed: Arc::new(watch::Sender::new(0)),
        }
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so a transaction that reads first cannot fail later with SQLITE_BUSY and
    /// writers commit in the order they started.
    pub async fn write(&self) -> Result<Write, DbErr> {
        let txn = self
            .conn
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        Ok(Write {
            txn,
            committed: self.committed.clone(),
        })
    }

    /// A receiver that wakes after every commit (the real-time relay waits on it).
    pub fn commits(&self) -> watch::Receiver<u64> {
        self.committed.subscribe()
    }
}

/// A write transaction; committing it tells the real-time relay to look for new events.
pub struct Write {
    txn: DatabaseTransaction,
    committed: Arc<watch::Sender<u64>>,
}

impl Write {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await?;
        self.committed.send_modify(|n| *n = n.wrapping_add(1));
        Ok(())
    }
}

impl std::ops::Deref for Write {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

/// The SQLite file URL for a path, creating its folder.
pub fn sqlite_url(path: &std::path::Path) -> std::io::Result<String> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    Ok(format!("sqlite://{}?mode=rwc", path.display()))
}

/// Runs a conditional UPDATE of one row and says whether it changed it: how one app server
/// claims work that several may see at once (a breach, a reminder, a launch's sampling) —
/// the row's condition holds for the first server only.
pub async fn claim<E: sea_orm::EntityTrait, C: sea_orm::ConnectionTrait>(
    update: sea_orm::UpdateMany<E>,
    db: &C,
) -> Result<bool, DbErr> {
    Ok(update.exec(db).await?.rows_affected == 1)
}
