//! Typed configuration, loaded once: defaults, then an optional `flare.toml`, then `FLARE_*`
//! environment variables (and `DATABASE_URL`), then command-line flags. A bad value stops
//! start-up with a message naming the setting. Secrets are never logged.

use app::db::SqliteSync;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;

/// The default embedded database.
pub const DEFAULT_SQLITE: &str = "data/flare.db";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where `flare serve` listens.
    pub addr: SocketAddr,
    /// `sqlite://path?mode=rwc` or `postgres://…`. Default: the SQLite file `data/flare.db`.
    pub database_url: Option<String>,
    /// How many database connections each process keeps.
    pub db_max_connections: u32,
    /// SQLite commit durability: `normal` (default) or `full`.
    pub sqlite_sync: SqliteSync,
    /// The folder with the built site (`pkg/` with wasm, js, css).
    pub site_root: PathBuf,
    /// Sessions end after this many idle minutes…
    pub session_idle_minutes: u64,
    /// …and this many hours after sign-in.
    pub session_absolute_hours: u64,
    /// Mark cookies `Secure`; set it when Flare is served over https.
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// How often the scheduled checks (stalled decisions, expired workarounds, overdue
    /// action items) run, in seconds.
    pub check_interval_seconds: u64,
    /// The header a trusted reverse proxy writes the client's address in (for example
    /// `x-forwarded-for`; the last address in it counts). Set it only when Flare is reachable
    /// through that proxy alone, or clients could forge their address. Default: unset, and
    /// the socket peer's address is used.
    pub trusted_proxy_header: Option<HeaderNameSetting>,
    /// Flare's address as people reach it, for the links in webhook messages (and mail).
    /// Default: `http://` and `addr`.
    pub public_url: Option<String>,
    /// Allow webhooks to private and loopback addresses (refused by default, so a webhook
    /// cannot reach into the network Flare runs in).
    pub webhook_allow_private: bool,
    /// The mail server, e.g. `smtp://host:25`, `smtp://user:pass@host:587?tls=required` or
    /// `smtps://host`. Unset: Flare sends no mail (and says so once at start-up).
    pub smtp_url: Option<String>,
    /// Who Flare's mail comes from.
    pub mail_from: String,
    /// The hour of the day (UTC, 0–23) from which the daily digest is sent.
    pub digest_hour: u32,
}

/// A request header's name, checked when the configuration is loaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HeaderNameSetting(pub axum::http::HeaderName);

impl TryFrom<String> for HeaderNameSetting {
    type Error = String;

    fn try_from(name: String) -> Result<Self, String> {
        axum::http::HeaderName::try_from(name.trim())
            .map(Self)
            .map_err(|_| format!("`{name}` is not a header name"))
    }
}

impl From<HeaderNameSetting> for String {
    fn from(setting: HeaderNameSetting) -> Self {
        setting.0.as_str().to_string()
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            database_url: None,
            db_max_connections: 16,
            sqlite_sync: SqliteSync::Normal,
            site_root: PathBuf::from("target/site"),
            session_idle_minutes: 8 * 60,
            session_absolute_hours: 7 * 24,
            secure_cookies: false,
            max_body_bytes: 1024 * 1024,
            check_interval_seconds: 30,
            trusted_proxy_header: None,
            public_url: None,
            webhook_allow_private: false,
            smtp_url: None,
            mail_from: "Flare <flare@localhost>".into(),
            digest_hour: 7,
        }
    }
}

/// The settings `FLARE_*` variables may set (other `FLARE_*` variables are not ours).
const SETTINGS: [&str; 16] = [
    "addr",
    "database_url",
    "db_max_connections",
    "sqlite_sync",
    "site_root",
    "session_idle_minutes",
    "session_absolute_hours",
    "secure_cookies",
    "max_body_bytes",
    "check_interval_seconds",
    "trusted_proxy_header",
    "public_url",
    "webhook_allow_private",
    "smtp_url",
    "mail_from",
    "digest_hour",
];

/// Values given on the command line, which win over everything else.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl Config {
    /// Loads the configuration; `file` defaults to `flare.toml` if it exists.
    pub fn load(file: Option<&std::path::Path>, overrides: &Overrides) -> Result<Self, String> {
        let figment = Figment::from(Serialized::defaults(Config::default()));
        let figment = match file {
            Some(path) if !path.exists() => {
                return Err(format!(
                    "configuration file {} does not exist",
                    path.display()
                ));
            }
            Some(path) => figment.merge(Toml::file(path)),
            None => figment.merge(Toml::file("flare.toml")),
        };
        figment
            .merge(Env::prefixed("FLARE_").only(&SETTINGS))
            .merge(Env::raw().only(&["database_url"]))
            .merge(Serialized::globals(overrides))
            .extract()
            .map_err(|err| {
                let setting = err.path.join(".");
                let source = match err.metadata.as_ref().map(|m| m.name.to_string()) {
                    Some(name) if name.contains("FLARE_") => {
                        format!(" (from FLARE_{})", setting.to_uppercase())
                    }
                    Some(name) if name.contains("environment") => " (from DATABASE_URL)".into(),
                    Some(name) => format!(" (from {name})"),
                    None => String::new(),
                };
                format!("invalid setting `{setting}`{source}: {}", err.kind)
            })
    }

    /// What outbound deliveries need: the public URL (default `http://{addr}`) and whether
    /// private addresses are allowed.
    pub fn outbound(&self) -> app::webhook::service::Outbound {
        let public_url = match &self.public_url {
            Some(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_string(),
            _ => format!("http://{}", self.addr),
        };
        app::webhook::service::Outbound {
            allow_private: self.webhook_allow_private,
            public_url,
        }
    }

    /// The mailer, if mail is set up (`smtp_url`); a bad setting is named.
    pub fn mailer(&self) -> Result<Option<app::mail::service::sender::Mailer>, String> {
        let Some(url) = self
            .smtp_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        else {
            return Ok(None);
        };
        app::mail::service::sender::Mailer::new(
            url,
            &self.mail_from,
            &self.outbound().public_url,
            self.digest_hour,
        )
        .map(Some)
        .map_err(|e| format!("invalid mail settings (smtp_url, mail_from, digest_hour): {e}"))
    }

    /// The database URL, defaulting to the SQLite file (whose folder is created).
    pub fn database_url(&self) -> Result<String, String> {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => Ok(url.trim().to_string()),
            _ => app::db::sqlite_url(std::path::Path::new(DEFAULT_SQLITE))
                .map_err(|e| format!("cannot create the folder for {DEFAULT_SQLITE}: {e}")),
        }
    }

    pub fn auth(&self) -> app::auth::service::guard::AuthSettings {
        app::auth::service::guard::AuthSettings {
            idle_timeout: std::time::Duration::from_secs(self.session_idle_minutes * 60),
            absolute_timeout: std::time::Duration::from_secs(self.session_absolute_hours * 3600),
            secure_cookies: self.secure_cookies,
            trusted_proxy_header: self.trusted_proxy_header.clone().map(|h| h.0),
        }
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment::Error as is
mod tests {
    use super::*;

    #[test]
    fn defaults_serve_locally_on_sqlite() {
        let config = Config::default();
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, None);
    }

    #[test]
    fn a_bad_value_names_the_setting() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("FLARE_ADDR", "not-an-address");
            let err = Config::load(None, &Overrides::default()).unwrap_err();
            assert!(err.contains("`addr`"), "{err}");
            assert!(err.contains("FLARE_ADDR"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn file_then_env_then_flags() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "flare.toml",
                "addr = \"127.0.0.1:4000\"\nsession_idle_minutes = 5",
            )?;
            jail.set_env("FLARE_SESSION_IDLE_MINUTES", "7");
            let config = Config::load(None, &Overrides::default()).unwrap();
            assert_eq!(config.addr.port(), 4000);
            assert_eq!(config.session_idle_minutes, 7);
            let flags = Overrides {
                addr: Some("127.0.0.1:5000".into()),
                database_url: None,
            };
            assert_eq!(Config::load(None, &flags).unwrap().addr.port(), 5000);
            Ok(())
        });
    }

    #[test]
    fn unknown_settings_in_the_file_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("flare.toml", "adress = \"127.0.0.1:4000\"")?;
            let err = Config::load(None, &Overrides::default()).unwrap_err();
            assert!(err.contains("adress"), "{err}");
            Ok(())
        });
    }
}
