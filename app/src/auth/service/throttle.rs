//! The sign-in throttle: how many wrong passwords may be tried for an account, counted in the
//! database so the limit holds across app servers and under parallel attempts.
//!
//! Every attempt reserves a failure *before* its password is checked, with one conditional
//! `UPDATE … WHERE failures < limit` per counter, so however many attempts arrive at once no
//! more than the limit are ever checked; a successful sign-in gives its reservation back by
//! clearing the counters. Counters are kept per account and client address (one client may
//! try [`ACCOUNT_FAILURE_LIMIT`] passwords) and per account from everywhere
//! ([`ACCOUNT_TOTAL_FAILURE_LIMIT`]). No counter spans accounts, so failures from a shared
//! address (an office, a proxy) never lock anyone else out.

use crate::db::Db;
use crate::entity::login_throttle;
use crate::error::AppError;
use axum::http::{HeaderMap, HeaderName};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Condition, Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};

/// Failed sign-ins allowed for one account from one client address within the window.
pub const ACCOUNT_FAILURE_LIMIT: i32 = 5;
/// Failed sign-ins allowed for one account from all addresses together within the window.
pub const ACCOUNT_TOTAL_FAILURE_LIMIT: i32 = 20;
/// How long failures are counted, and how long a lock lasts.
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

/// What a sign-in attempt may go on to check: the counters it reserved a failure on.
#[derive(Debug)]
pub struct Reservation {
    keys: [String; 2],
}

/// The counters an attempt on `email` from `address` counts against, with their limits.
/// The email is hashed: the key stays short whatever was typed, and stores no email address.
fn counters(email: &str, address: &str) -> [(String, i32); 2] {
    let account = hex::encode(Sha256::digest(
        crate::auth::model::normalize_email(email).as_bytes(),
    ));
    [
        (
            format!("account:{account}@{address}"),
            ACCOUNT_FAILURE_LIMIT,
        ),
        (format!("account:{account}"), ACCOUNT_TOTAL_FAILURE_LIMIT),
    ]
}

fn locked_out(until: DateTime<Utc>, now: DateTime<Utc>) -> AppError {
    let minutes = (until - now).num_minutes().max(1);
    AppError::Unauthenticated {
        message: format!("Too many failed sign-ins. Try again in {minutes} min."),
    }
}

/// When a counter stops refusing, if it refuses at `now`.
fn refused_until(
    row: &login_throttle::Model,
    limit: i32,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let window = Duration::minutes(THROTTLE_WINDOW_MINUTES);
    match row.locked_until {
        Some(until) if until > now => Some(until),
        _ if row.failures >= limit && row.window_started_at + window > now => {
            Some(row.window_started_at + window)
        }
        _ => None,
    }
}

/// Reserves one failure on every counter of an attempt on `email` from `address`, before its
/// password is checked. Called by `authenticate` only. Returns the reservation, or the
/// "Too many failed sign-ins" refusal when any counter is at its limit (then nothing is
/// counted and the password must not be checked).
pub async fn reserve(db: &Db, email: &str, address: &str) -> Result<Reservation, AppError> {
    let now = Utc::now();
    let counters = counters(email, address);
    // A locked account under attack is refused without taking the write lock.
    for (key, limit) in &counters {
        let row = login_throttle::Entity::find_by_id(key.clone())
            .one(&db.conn)
            .await?;
        if let Some(until) = row.and_then(|r| refused_until(&r, *limit, now)) {
            return Err(locked_out(until, now));
        }
    }
    let txn = db.write().await?;
    for (key, _) in &counters {
        login_throttle::Entity::insert(login_throttle::ActiveModel {
            key: Set(key.clone()),
            failures: Set(0),
            window_started_at: Set(now),
            locked_until: Set(None),
        })
        .on_conflict(
            OnConflict::column(login_throttle::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
    }
    for (key, limit) in &counters {
        if !take_one(&*txn, key, *limit, now).await? {
            // Dropping the transaction rolls back what the other counters reserved.
            let row = login_throttle::Entity::find_by_id(key.clone())
                .one(&*txn)
                .await?;
            let until = row
                .and_then(|r| refused_until(&r, *limit, now))
                .unwrap_or(now + Duration::minutes(THROTTLE_WINDOW_MINUTES));
            return Err(locked_out(until, now));
        }
    }
    txn.commit().await?;
    let [(first, _), (second, _)] = counters;
    Ok(Reservation {
        keys: [first, second],
    })
}

/// Counts one failure on `key` if it is below `limit`, in one conditional update (atomic on
/// SQLite and PostgreSQL alike: a concurrent attempt re-reads the row it waited for).
/// A window that has passed starts again at this failure; reaching the limit locks the
/// counter for a window. Returns whether the failure was counted.
async fn take_one<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    limit: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use login_throttle::Column;
    use sea_orm::sea_query::ExprTrait;
    let window = Duration::minutes(THROTTLE_WINDOW_MINUTES);
    let cutoff = now - window;
    let lock_end = now + window;
    let window_over = || Column::WindowStartedAt.lte(cutoff);
    let locks = if limit <= 1 {
        Expr::value(Some(lock_end))
    } else {
        Expr::case(
            Condition::all()
                .add(Column::WindowStartedAt.gt(cutoff))
                .add(Expr::col(Column::Failures).add(1).gte(limit)),
            Expr::value(Some(lock_end)),
        )
        .finally(Expr::value(None::<DateTime<Utc>>))
        .into()
    };
    let counted = login_throttle::Entity::update_many()
        .col_expr(
            Column::Failures,
            Expr::case(window_over(), Expr::value(1))
                .finally(Expr::col(Column::Failures).add(1))
                .into(),
        )
        .col_expr(
            Column::WindowStartedAt,
            Expr::case(window_over(), Expr::value(now))
                .finally(Expr::col(Column::WindowStartedAt))
                .into(),
        )
        .col_expr(Column::LockedUntil, locks)
        .filter(Column::Key.eq(key))
        .filter(
            Condition::any()
                .add(Column::LockedUntil.is_null())
                .add(Column::LockedUntil.lte(now)),
        )
        .filter(
            Condition::any()
                .add(window_over())
                .add(Column::Failures.lt(limit)),
        )
        .exec(conn)
        .await?
        .rows_affected;
    Ok(counted == 1)
}

/// After a successful sign-in: clears the account's counters for this client and overall
/// (the reservation included). Counters of other clients stay, so a guesser elsewhere stays
/// locked. Called by `authenticate` only.
pub async fn clear(db: &Db, reservation: Reservation) -> Result<(), AppError> {
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Key.is_in(reservation.keys))
        .exec(&db.conn)
        .await?;
    Ok(())
}

/// The client address sign-in failures are counted under. With a trusted proxy header
/// configured (`FLARE_TRUSTED_PROXY_HEADER`), the last address in that header — the one the
/// proxy itself added, which the client cannot forge — if it holds one; otherwise the socket
/// peer's address; `unknown` when neither is known (in-process tests). Called by the sign-in
/// handler.
pub fn client_address(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    trusted_header: Option<&HeaderName>,
) -> String {
    trusted_header
        .and_then(|name| headers.get_all(name).iter().next_back())
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.rsplit(',').next())
        .and_then(parse_address)
        .or(peer)
        .map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
}

/// An address as proxies write it: `203.0.113.7`, `2001:db8::1`, with or without a port.
fn parse_address(value: &str) -> Option<IpAddr> {
    let value = value.trim().trim_matches('"');
    value
        .parse::<IpAddr>()
        .ok()
        .or_else(|| value.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_forwarded_address_counts_only_when_its_header_is_trusted() {
        let peer = Some(IpAddr::from([10, 0, 0, 1]));
        let xff = HeaderName::from_static("x-forwarded-for");
        let sent = headers(&[("x-forwarded-for", "198.51.100.9, 203.0.113.7")]);
        assert_eq!(client_address(&sent, peer, None), "10.0.0.1");
        assert_eq!(client_address(&sent, peer, Some(&xff)), "203.0.113.7");
        let ported = headers(&[("x-forwarded-for", "[2001:db8::1]:443")]);
        assert_eq!(client_address(&ported, peer, Some(&xff)), "2001:db8::1");
        let junk = headers(&[("x-forwarded-for", "not an address")]);
        assert_eq!(client_address(&junk, peer, Some(&xff)), "10.0.0.1");
        assert_eq!(
            client_address(&HeaderMap::new(), None, Some(&xff)),
            "unknown"
        );
    }

    #[test]
    fn counters_are_per_account_never_per_address_alone() {
        let [(pair, _), (account, _)] = counters(" Ada@Example.com", "203.0.113.7");
        let [(other_pair, _), _] = counters("bob@example.com", "203.0.113.7");
        assert!(pair.starts_with(&account) && pair.ends_with("@203.0.113.7"));
        assert_ne!(pair, other_pair);
        let long = "a".repeat(5000);
        assert!(counters(&long, "2001:db8::1")[0].0.len() < 300);
    }
}
