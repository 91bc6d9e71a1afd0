//! The `flare` command line: `serve`, `migrate`, `demo`, `user …`, `token …`, `audit verify`.

use crate::config::{Config, Overrides};
use crate::database;
use app::auth::model::{Role, UserDraft};
use app::db::{Db, DbOptions};
use app::event::model::EventActor;
use app::state::AppState;
use clap::{Args, Parser, Subcommand};
use std::io::BufRead;
use std::path::PathBuf;

/// Flare: run launch escalations with a live board, decisions on the record, RACI and
/// post-mortems.
#[derive(Debug, Parser)]
#[command(name = "flare", version, about)]
pub struct Cli {
    /// Configuration file (default: ./flare.toml if present).
    #[arg(long, global = true, value_name = "FILE", env = "FLARE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://… or postgres://… (default: the SQLite file data/flare.db).
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve Flare over HTTP (never seeds data).
    Serve {
        /// Address to listen on (default 127.0.0.1:3000; env FLARE_ADDR).
        #[arg(long, value_name = "HOST:PORT")]
        addr: Option<String>,
    },
    /// Create the database if needed and apply pending migrations.
    Migrate,
    /// Seed a realistic demo: users of every role and a launch with a dozen escalations.
    Demo {
        /// Do nothing if the database already has a launch.
        #[arg(long)]
        if_empty: bool,
    },
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the event log.
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user.
    Add(UserAdd),
    /// Change a user's role.
    SetRole {
        #[arg(long)]
        email: String,
        /// viewer, executive, member, facilitator or admin.
        #[arg(long)]
        role: String,
    },
    /// Disable a user: their sessions end and their tokens are revoked.
    Disable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Args)]
pub struct UserAdd {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    /// viewer, executive, member, facilitator or admin.
    #[arg(long)]
    pub role: String,
    /// product, engineering, marketing, sales, support, customer_success, leadership or operations.
    #[arg(long, default_value = "operations")]
    pub area: String,
    /// Read the password from the first line of standard input.
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token acting as a user; prints only the token.
    Create {
        /// The user the token acts as.
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
    },
    /// Revoke a token by id.
    Revoke {
        #[arg(long)]
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the event log's hash chain and report the first tampered event.
    Verify,
}

/// Reads one line from standard input, without its line ending.
pub fn read_password(input: impl BufRead) -> Result<String, String> {
    let mut line = String::new();
    input
        .take(4096)
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// Loads configuration and opens (and migrates) the database.
async fn open(cli: &Cli, addr: Option<String>) -> Result<(Config, Db), String> {
    let overrides = Overrides {
        addr,
        database_url: cli.database_url.clone(),
    };
    let config = Config::load(cli.config.as_deref(), &overrides)?;
    let mut options = DbOptions::new(config.database_url()?);
    options.max_connections = config.db_max_connections;
    options.sqlite_sync = config.sqlite_sync;
    let db = database::open(&options).await?;
    database::migrate(&db)
        .await
        .map_err(|e| format!("cannot migrate the database: {e}"))?;
    Ok((config, db))
}

/// Runs a command; `Err` is the message to print before exiting with failure.
pub async fn run(cli: Cli) -> Result<(), String> {
    let flare = EventActor::system();
    match &cli.command {
        Command::Serve { addr } => {
            let (config, db) = open(&cli, addr.clone()).await?;
            serve(config, db).await
        }
        Command::Migrate => {
            open(&cli, None).await?;
            tracing::info!("the database is up to date");
            Ok(())
        }
        Command::Demo { if_empty } => {
            let (_, db) = open(&cli, None).await?;
            let seeded = crate::demo::seed(&db, *if_empty)
                .await
                .map_err(|e| e.to_string())?;
            for line in seeded.iter().flat_map(crate::demo::Seeded::sign_in_sheet) {
                print_line(&line);
            }
            Ok(())
        }
        Command::User(UserCommand::Add(add)) => {
            let password = read_password(std::io::stdin().lock())?;
            let (_, db) = open(&cli, None).await?;
            let draft = UserDraft {
                email: Some(add.email.clone()),
                name: Some(add.name.clone()),
                role: Some(add.role.clone()),
                functional_area: Some(add.area.clone()),
                password: Some(password),
            };
            let valid = draft.validate().map_err(|fields| {
                fields
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })?;
            let user = app::auth::service::insert_user(&db, &flare, valid)
                .await
                .map_err(|e| describe(&e))?;
            tracing::info!(id = user.id.0, email = %user.email, "user created");
            Ok(())
        }
        Command::User(UserCommand::SetRole { email, role }) => {
            let role = Role::parse(role)
                .ok_or("role must be viewer, executive, member, facilitator or admin")?;
            let (_, db) = open(&cli, None).await?;
            let user = app::auth::service::find_by_email(&db.conn, email)
                .await
                .map_err(|e| describe(&e))?;
            app::auth::service::set_role(&db, &flare, app::auth::UserId(user.id), role)
                .await
                .map_err(|e| describe(&e))?;
            tracing::info!(%email, role = role.as_str(), "role changed");
            Ok(())
        }
        Command::User(UserCommand::Disable { email }) => {
            let (_, db) = open(&cli, None).await?;
            let user = app::auth::service::find_by_email(&db.conn, email)
                .await
                .map_err(|e| describe(&e))?;
            app::auth::service::set_active(&db, &flare, app::auth::UserId(user.id), false)
                .await
                .map_err(|e| describe(&e))?;
            tracing::info!(%email, "user disabled; sessions ended, tokens revoked");
            Ok(())
        }
        Command::Token(TokenCommand::Create { email, name }) => {
            let (_, db) = open(&cli, None).await?;
            let user = app::auth::service::find_by_email(&db.conn, email)
                .await
                .map_err(|e| describe(&e))?;
            let issued =
                app::auth::service::issue_token(&db, &flare, app::auth::UserId(user.id), name)
                    .await
                    .map_err(|e| describe(&e))?;
            tracing::info!(id = issued.token.id, %email, "token created");
            print_line(&issued.secret);
            Ok(())
        }
        Command::Token(TokenCommand::Revoke { id }) => {
            let (_, db) = open(&cli, None).await?;
            app::auth::service::revoke_token(&db, &flare, *id)
                .await
                .map_err(|e| describe(&e))?;
            tracing::info!(id, "token revoked");
            Ok(())
        }
        Command::Audit(AuditCommand::Verify) => {
            let (_, db) = open(&cli, None).await?;
            let report = app::event::service::verify_chain(&db.conn)
                .await
                .map_err(|e| format!("cannot read the event log: {e}"))?;
            match report.broken {
                None => {
                    print_line(&format!("ok: {} events, hash chain intact", report.checked));
                    Ok(())
                }
                Some((id, why)) => Err(format!(
                    "event {id} fails verification: {why} ({} events before it are intact)",
                    report.checked
                )),
            }
        }
    }
}

/// What a command prints for scripts goes to stdout; everything else is logged to stderr.
#[allow(clippy::print_stdout)]
pub fn print_line(line: &str) {
    println!("{line}");
}

fn describe(err: &app::error::AppError) -> String {
    match err {
        app::error::AppError::Validation { fields, .. } => fields
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// Serves until SIGINT or SIGTERM.
async fn serve(config: Config, db: Db) -> Result<(), String> {
    if !app::auth::service::has_users(&db.conn)
        .await
        .map_err(|e| e.to_string())?
    {
        tracing::warn!(
            "no users yet: create the first admin with \
             `flare user add --email you@example.com --name \"Your Name\" --role admin --password-stdin`"
        );
    }
    let mailer = config.mailer()?;
    if mailer.is_none() {
        tracing::info!("mail is off: FLARE_SMTP_URL is not set, so notices stay in Flare");
    }
    let hub = app::realtime::service::Hub::default();
    let state = AppState {
        db: db.clone(),
        leptos: crate::leptos_options(&config),
        auth: config.auth(),
        hub: hub.clone(),
        outbound: config.outbound(),
        mail_sending: mailer.is_some(),
    };
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    tracing::info!("Flare is serving at http://{}", config.addr);
    let sweeper = tokio::spawn(sweep_sessions(db.clone()));
    let relay = tokio::spawn(app::realtime::service::run_relay(db.clone(), hub.clone()));
    let webhooks = tokio::spawn(app::webhook::service::worker::run_forever(
        db.clone(),
        hub.clone(),
        config.outbound(),
        hub.shutdown(),
    ));
    let mail = mailer.map(|mailer| {
        tokio::spawn(app::mail::service::sender::run_forever(
            db.clone(),
            mailer,
            hub.shutdown(),
        ))
    });
    let checks = tokio::spawn(app::checks::service::run_forever(
        db,
        std::time::Duration::from_secs(config.check_interval_seconds),
        hub.shutdown(),
    ));
    let app = crate::router(state, config.max_body_bytes)
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let stop = hub.shutdown();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown_signal().await;
        // Live streams end now, so the graceful shutdown does not wait on them forever.
        stop.cancel();
    });
    let result = server.await.map_err(|e| format!("server error: {e}"));
    sweeper.abort();
    relay.abort();
    checks.abort();
    webhooks.abort();
    if let Some(mail) = mail {
        mail.abort();
    }
    result
}

/// Deletes expired sessions every ten minutes.
async fn sweep_sessions(db: Db) {
    let store = app::auth::service::store::SeaOrmStore::new(db);
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(err) = store.delete_expired().await {
            tracing::warn!(%err, "could not delete expired sessions");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_line_loses_only_its_newline() {
        assert_eq!(read_password(&b"s3cret pass\n"[..]).unwrap(), "s3cret pass");
        assert_eq!(
            read_password(&b"with cr\r\nnext line"[..]).unwrap(),
            "with cr"
        );
        assert_eq!(
            read_password(&b" spaces kept \n"[..]).unwrap(),
            " spaces kept "
        );
    }

    #[test]
    fn the_command_line_parses() {
        let cli = Cli::try_parse_from(["flare", "serve", "--addr", "0.0.0.0:8080"]).unwrap();
        assert!(matches!(cli.command, Command::Serve { addr: Some(_) }));
        let cli = Cli::try_parse_from([
            "flare",
            "--database-url",
            "sqlite://x.db",
            "token",
            "create",
            "--email",
            "a@b.c",
            "--name",
            "ci",
        ])
        .unwrap();
        assert_eq!(cli.database_url.as_deref(), Some("sqlite://x.db"));
        assert!(Cli::try_parse_from(["flare", "user", "add", "--email", "a@b.c"]).is_err());
    }
}
