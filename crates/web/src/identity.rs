//! Who is making a request: cookies, sessions, bearer tokens, client address.

use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, HeaderValue};
use staying_close_domain::permissions::{allows, record_scope, Permission};
use staying_close_store::{Actor, La, SessionStage, Staff, Viewer};
use std::net::SocketAddr;

/// The session cookie's name: with the `__Host-` prefix over HTTPS, so no
/// other host (a sibling subdomain, say) can set or overwrite it.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-sc_session"
    } else {
        "sc_session"
    }
}

/// The cookie that protects forms shown before a session exists (sign-in,
/// password links): it holds a random nonce; the form holds the nonce's MAC
/// under the service's secret key, so a cookie planted by someone else is
/// worthless without the matching form.
pub fn form_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-sc_form"
    } else {
        "sc_form"
    }
}

/// The signed-in member of staff (or API token holder) for this request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub staff: Staff,
    pub la: Option<La>,
    /// Set for browser sessions; `None` for API tokens.
    pub session: Option<SessionInfo>,
    pub client_addr: String,
}

#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub token: String,
    pub csrf_token: String,
    pub stage: SessionStage,
}

impl CurrentUser {
    pub fn from_session(token: String, session: staying_close_store::Session, client_addr: String) -> CurrentUser {
        CurrentUser {
            staff: session.staff,
            la: session.la,
            session: Some(SessionInfo { token, csrf_token: session.csrf_token, stage: session.stage }),
            client_addr,
        }
    }

    pub fn can(&self, permission: Permission) -> bool {
        allows(self.staff.role, permission)
    }

    /// Which young people this person may see; `None` outside any LA.
    pub fn viewer(&self) -> Option<Viewer> {
        let la = self.la.as_ref()?;
        Some(Viewer { la: la.id, staff: Some(self.staff.id), scope: record_scope(self.staff.role, la.record_access) })
    }

    pub fn actor(&self) -> Actor {
        Actor::staff(self.staff.id, Some(self.client_addr.clone()))
    }

    pub fn csrf_token(&self) -> String {
        self.session.as_ref().map(|s| s.csrf_token.clone()).unwrap_or_default()
    }
}

/// The value of one cookie.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax`, `Secure` over TLS.
pub fn set_cookie(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}"))
        .expect("cookie values are hex")
}

pub fn clear_cookie(name: &str, secure: bool) -> HeaderValue {
    set_cookie(name, "", 0, secure)
}

/// The token for a form shown before a session exists: the MAC of the nonce
/// already in the browser's form cookie, or of a new random one. Returns the
/// token for the form and the `Set-Cookie` value that (re)sets the cookie.
pub fn form_token(state: &crate::AppState, headers: &HeaderMap) -> (String, HeaderValue) {
    let secure = is_secure(&state.config, headers);
    let nonce = cookie(headers, form_cookie_name(secure))
        .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let header = set_cookie(form_cookie_name(secure), &nonce, 3600, secure);
    (state.store.bind_form_nonce(&nonce), header)
}

/// The client's address: the socket peer, or the last `X-Forwarded-For`
/// entry when the service is told to trust its proxy.
pub fn client_addr(
    headers: &HeaderMap,
    connect: Option<&ConnectInfo<SocketAddr>>,
    trust_forwarded_for: bool,
) -> String {
    if trust_forwarded_for {
        if let Some(last) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            return last.to_owned();
        }
    }
    connect.map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".to_owned())
}

/// Whether the user reached the service over HTTPS: configured so, or told
/// so by a trusted proxy (`X-Forwarded-Proto: https`). Decides `Secure` cookies.
pub fn is_secure(config: &crate::WebConfig, headers: &HeaderMap) -> bool {
    config.behind_tls
        || (config.trust_forwarded_for
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("https")))
}

/// The bearer token of an `Authorization` header.
pub fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_many() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; sc_session=abc; b=2"));
        assert_eq!(cookie(&headers, session_cookie_name(false)).as_deref(), Some("abc"));
        assert_eq!(session_cookie_name(true), "__Host-sc_session");
        assert_eq!(cookie(&headers, "nope"), None);
    }

    #[test]
    fn cookies_are_http_only_and_lax() {
        let v = set_cookie("x", "y", 60, true);
        assert_eq!(v.to_str().unwrap(), "x=y; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure");
    }

    #[test]
    fn a_trusted_proxy_can_say_the_connection_is_secure() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let plain = crate::WebConfig::default();
        assert!(!is_secure(&plain, &headers), "an untrusted header is ignored");
        let proxied = crate::WebConfig { trust_forwarded_for: true, ..crate::WebConfig::default() };
        assert!(is_secure(&proxied, &headers));
        assert!(!is_secure(&proxied, &HeaderMap::new()));
    }

    #[test]
    fn forwarded_for_is_only_trusted_when_configured() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("1.2.3.4, 10.0.0.1"));
        assert_eq!(client_addr(&headers, None, true), "10.0.0.1");
        assert_eq!(client_addr(&headers, None, false), "unknown");
    }
}
