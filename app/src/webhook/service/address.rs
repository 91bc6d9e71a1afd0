//! Where a webhook may point: private, loopback and link-local addresses are refused unless
//! the operator allows them (`FLARE_WEBHOOK_ALLOW_PRIVATE=1`) — checked on the URL when a
//! webhook is saved, and on every address a host name resolves to when it is delivered, so
//! a name that later resolves inward is refused too.

use crate::error::FieldErrors;
use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};

/// Whether `ip` is on this machine or a private network.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64 // 100.64/10, CGNAT
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_private(IpAddr::V4(v4)),
            None => {
                v6.is_loopback()
                    || v6.is_unspecified()
                    || (v6.segments()[0] & 0xfe00) == 0xfc00 // unique local
                    || (v6.segments()[0] & 0xffc0) == 0xfe80 // link-local
            }
        },
    }
}

/// Checks a webhook URL: it parses, and unless `allow_private` it names no private or
/// loopback address (`localhost` included).
pub fn check(url: &str, allow_private: bool) -> Result<(), FieldErrors> {
    let refuse = |why: &str| Err(FieldErrors::from([("url".to_string(), why.to_string())]));
    let Ok(parsed) = Url::parse(url) else {
        return refuse("is not a valid URL");
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return refuse("must be an http or https URL");
    }
    let private = match parsed.host() {
        None => return refuse("must name a host"),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => is_private(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_private(IpAddr::V6(ip)),
    };
    if private && !allow_private {
        return refuse(
            "points to a private or loopback address; the operator may allow these with FLARE_WEBHOOK_ALLOW_PRIVATE=1",
        );
    }
    Ok(())
}

/// The resolver deliveries use: the system's, minus private addresses unless allowed.
#[derive(Clone, Copy, Debug)]
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0))
                .await?
                .filter(|a| allow_private || !is_private(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(format!(
                    "{} resolves to no public address (private addresses are refused)",
                    name.as_str()
                )
                .into());
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_loopback_addresses_are_refused_unless_allowed() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://api.localhost/hook",
            "http://10.1.2.3/",
            "http://192.168.0.10/",
            "http://172.16.5.4/",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0/",
        ] {
            assert!(check(url, false).is_err(), "{url}");
            assert!(check(url, true).is_ok(), "{url}");
        }
        assert!(check("https://hooks.slack.com/services/T0/B0/x", false).is_ok());
        assert!(check("https://93.184.215.14/", false).is_ok());
        assert!(check("http://", true).is_err());
    }
}
