//! The `flare` binary: subcommands, stdout only for what scripts read, clean failures.

use crate::common;
use common::{flare_command, run_with_input};
use std::process::{Output, Stdio};

fn flare(db: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let url = app::db::sqlite_url(db).unwrap();
    run_with_input(
        flare_command()
            .arg("--database-url")
            .arg(&url)
            .args(args)
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "info"),
        stdin,
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["demo", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "set-role", "--help"],
        vec!["user", "disable", "--help"],
        vec!["token", "create", "--help"],
        vec!["token", "revoke", "--help"],
        vec!["audit", "verify", "--help"],
    ] {
        let out = flare_command().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(text(&out.stdout).contains("Usage"), "{args:?}");
    }
}

#[test]
fn users_and_tokens_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("flare.db");
    let out = flare(
        &db,
        &[
            "user",
            "add",
            "--email",
            "ops@example.com",
            "--name",
            "Ops Lead",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some("a password with spaces \nignored second line\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "", "logs go to stderr");

    let out = flare(
        &db,
        &[
            "token",
            "create",
            "--email",
            "ops@example.com",
            "--name",
            "release pipeline",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let token = stdout.trim_end();
    assert!(
        token.starts_with("flr_") && !token.contains(char::is_whitespace),
        "only the token: {stdout:?}"
    );
    assert_eq!(stdout.lines().count(), 1);

    let out = flare(
        &db,
        &[
            "user",
            "set-role",
            "--email",
            "ops@example.com",
            "--role",
            "owner",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("role must be"));

    let out = flare(
        &db,
        &[
            "user",
            "add",
            "--email",
            "bad",
            "--name",
            "",
            "--role",
            "member",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("email") && stderr.contains("password"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));

    let out = flare(
        &db,
        &["user", "disable", "--email", "ops@example.com"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = flare(&db, &["audit", "verify"], None);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).starts_with("ok: 3 events"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn the_password_is_read_with_its_newline_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("flare.db");
    let out = flare(
        &db,
        &[
            "user",
            "add",
            "--email",
            "a@example.com",
            "--name",
            "A",
            "--role",
            "member",
            "--password-stdin",
        ],
        Some("exactly this one\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = app::db::sqlite_url(&db).unwrap();
        let db = app::db::Db::connect(&app::db::DbOptions::new(url))
            .await
            .unwrap();
        assert!(
            app::auth::service::authenticate(&db, "a@example.com", "exactly this one".into(), "t")
                .await
                .is_ok()
        );
        assert!(
            app::auth::service::authenticate(
                &db,
                "a@example.com",
                "exactly this one\n".into(),
                "t"
            )
            .await
            .is_err()
        );
    });
}

#[test]
fn demo_seeds_once_and_serve_never_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("flare.db");
    let out = flare(&db, &["migrate"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = flare(&db, &["demo", "--if-empty"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("executive@flare.test"),
        "sign-in details are printed"
    );
    let out = flare(&db, &["demo", "--if-empty"], None);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "", "an existing demo is left alone");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let url = app::db::sqlite_url(&db).unwrap();
        let db = app::db::Db::connect(&app::db::DbOptions::new(url))
            .await
            .unwrap();
        // A dozen raised by people, and one by the checkout criterion's breach.
        assert_eq!(
            app::entity::escalation::Entity::find()
                .count(&db.conn)
                .await
                .unwrap(),
            13
        );
        assert_eq!(
            app::entity::escalation::Entity::find()
                .filter(app::entity::escalation::Column::CriterionId.is_not_null())
                .count(&db.conn)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            app::entity::launch::Entity::find()
                .count(&db.conn)
                .await
                .unwrap(),
            2
        );
        let stages: std::collections::BTreeSet<String> = app::entity::escalation::Entity::find()
            .all(&db.conn)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.stage)
            .collect();
        assert_eq!(stages.len(), 6, "every stage is represented: {stages:?}");
    });

    // serve on an empty database stays empty.
    let empty = dir.path().join("empty.db");
    let url = app::db::sqlite_url(&empty).unwrap();
    let mut child = flare_command()
        .args(["--database-url", &url, "serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(2));
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert!(stderr.contains("no users yet"), "{stderr}");
    // Without FLARE_SMTP_URL it serves, and says once that mail is off.
    assert_eq!(stderr.matches("mail is off").count(), 1, "{stderr}");
    rt.block_on(async {
        use sea_orm::{EntityTrait, PaginatorTrait};
        let db = app::db::Db::connect(&app::db::DbOptions::new(url))
            .await
            .unwrap();
        assert_eq!(
            app::entity::launch::Entity::find()
                .count(&db.conn)
                .await
                .unwrap(),
            0
        );
    });
}

#[test]
fn bad_configuration_and_databases_fail_cleanly() {
    let out = flare_command()
        .args(["migrate"])
        .env("FLARE_DB_MAX_CONNECTIONS", "lots")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("db_max_connections"), "{stderr}");
    assert!(!stderr.contains("panicked"));

    let out = flare_command()
        .args([
            "--database-url",
            "sqlite:///nonexistent-dir/for/sure/flare.db?mode=ro",
            "migrate",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    assert!(!stderr.contains("panicked"));

    let out = flare_command()
        .args([
            "--database-url",
            "postgres://nobody:secret@127.0.0.1:1/none",
            "migrate",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot open the database") && !stderr.contains("secret"),
        "{stderr}"
    );

    // A mail server Flare cannot use stops start-up, named, its password never shown.
    let dir = tempfile::tempdir().unwrap();
    let url = app::db::sqlite_url(&dir.path().join("mail.db")).unwrap();
    let out = flare_command()
        .args(["--database-url", &url, "serve", "--addr", "127.0.0.1:0"])
        .env("FLARE_SMTP_URL", "ftp://mailer:hunter2@mail.example.com")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("smtp_url") && !stderr.contains("hunter2"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}
