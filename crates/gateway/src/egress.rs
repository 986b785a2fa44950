//! How the gateway reaches the vendors: directly, or through a corporate
//! forward proxy (`CONNECT`, Basic credentials from the proxy URL), with TLS
//! always verified against the system's roots and any `--ca-file`.
//! Failures are named in words (unknown issuer, wrong name, expired, proxy
//! refused) and never carry the proxy's credentials.

use std::path::PathBuf;
use std::time::Duration;

/// A forward proxy URL whose password never prints.
#[derive(Clone)]
pub struct ProxyUrl {
    url: reqwest::Url,
}

impl ProxyUrl {
    /// `http://user:pass@proxy.corp:3128` (a bare `proxy.corp:3128` is
    /// taken as `http://`).
    pub fn parse(text: &str) -> Result<ProxyUrl, String> {
        let with_scheme = if text.contains("://") {
            text.to_owned()
        } else {
            format!("http://{text}")
        };
        let url = reqwest::Url::parse(&with_scheme).map_err(|e| {
            format!(
                "the proxy URL {} is not a URL: {e}",
                ProxyUrl::mask_text(text)
            )
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!(
                "the proxy URL {} must be http://HOST:PORT or https://HOST:PORT",
                ProxyUrl::mask_text(text)
            ));
        }
        Ok(ProxyUrl { url })
    }

    /// The user and password from the URL, if any.
    fn credentials(&self) -> Option<(String, String)> {
        let user = self.url.username();
        if user.is_empty() {
            return None;
        }
        let decode = |s: &str| {
            // Userinfo is percent-encoded in a URL.
            let mut out = Vec::with_capacity(s.len());
            let bytes = s.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' && i + 3 <= bytes.len() {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                    if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                }
                out.push(bytes[i]);
                i += 1;
            }
            String::from_utf8_lossy(&out).into_owned()
        };
        Some((
            decode(user),
            decode(self.url.password().unwrap_or_default()),
        ))
    }

    /// The URL without its credentials (what the client connects to).
    fn bare(&self) -> reqwest::Url {
        let mut url = self.url.clone();
        let _ = url.set_username("");
        let _ = url.set_password(None);
        url
    }

    fn mask_text(text: &str) -> String {
        match (text.find("://"), text.rfind('@')) {
            (Some(s), Some(at)) if at > s => format!("{}***@{}", &text[..s + 3], &text[at + 1..]),
            (None, Some(at)) => format!("***@{}", &text[at + 1..]),
            _ => text.to_owned(),
        }
    }
}

impl std::fmt::Display for ProxyUrl {
    /// `http://corp:***@proxy.corp:3128/`: the user shown, never the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut shown = self.bare();
        if !self.url.username().is_empty() {
            let _ = shown.set_username(self.url.username());
            let _ = shown.set_password(Some("***"));
        }
        write!(f, "{shown}")
    }
}

impl std::fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProxyUrl({self})")
    }
}

/// The way out to the vendors.
#[derive(Clone, Debug, Default)]
pub struct Egress {
    /// The forward proxy for the vendors' HTTPS hosts, if any.
    pub proxy: Option<ProxyUrl>,
    /// Hosts reached directly (`NO_PROXY` syntax: `host`, `.domain`, `*`).
    pub no_proxy: Option<String>,
    /// PEM files of extra trusted roots (a company's inspection CA).
    pub ca_files: Vec<PathBuf>,
}

/// Reads an environment variable in upper or lower case, ignoring empty ones.
fn env_either(name: &str) -> Option<String> {
    [name.to_owned(), name.to_ascii_lowercase()]
        .iter()
        .filter_map(|n| std::env::var(n).ok())
        .find(|v| !v.trim().is_empty())
}

impl Egress {
    /// `--proxy` if given, else `HTTPS_PROXY`, then `ALL_PROXY`, then
    /// `HTTP_PROXY` (either case: the vendors are HTTPS, but many companies
    /// set only `HTTP_PROXY`); `--no-proxy` if given, else `NO_PROXY`.
    pub fn from_settings(
        proxy: Option<&str>,
        no_proxy: Option<&str>,
        ca_files: Vec<PathBuf>,
    ) -> Result<Egress, String> {
        let proxy = match proxy.filter(|p| !p.trim().is_empty()) {
            Some(p) => Some(p.to_owned()),
            None => ["HTTPS_PROXY", "ALL_PROXY", "HTTP_PROXY"]
                .iter()
                .find_map(|name| env_either(name)),
        };
        let no_proxy = no_proxy
            .filter(|n| !n.trim().is_empty())
            .map(str::to_owned)
            .or_else(|| env_either("NO_PROXY"));
        for file in &ca_files {
            if !file.is_file() {
                return Err(format!(
                    "--ca-file {} is not a readable file",
                    file.display()
                ));
            }
        }
        Ok(Egress {
            proxy: proxy.as_deref().map(ProxyUrl::parse).transpose()?,
            no_proxy,
            ca_files,
        })
    }

    /// A client for the vendors: the proxy (unless `NO_PROXY` names the
    /// host), the system's roots plus the CA files, TLS 1.2 or newer, no
    /// redirects, `timeout` for each call.
    pub fn client(&self, timeout: Duration) -> Result<reqwest::Client, String> {
        let mut builder = reqwest::Client::builder()
            // Only what this struct says: the environment was read once,
            // into it, so `--check` shows what is really used.
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .tls_built_in_root_certs(true)
            .https_only(false)
            .min_tls_version(reqwest::tls::Version::TLS_1_2)
            .pool_idle_timeout(Duration::from_secs(60));
        for file in &self.ca_files {
            let pem =
                std::fs::read(file).map_err(|e| format!("--ca-file {}: {e}", file.display()))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                format!("--ca-file {} holds no PEM certificate: {e}", file.display())
            })?;
            if certs.is_empty() {
                return Err(format!(
                    "--ca-file {} holds no PEM certificate",
                    file.display()
                ));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        if let Some(proxy) = &self.proxy {
            let mut p = reqwest::Proxy::all(proxy.bare())
                .map_err(|_| format!("the proxy URL {proxy} cannot be used"))?;
            if let Some((user, password)) = proxy.credentials() {
                p = p.basic_auth(&user, &password);
            }
            p = p.no_proxy(
                self.no_proxy
                    .as_deref()
                    .and_then(reqwest::NoProxy::from_string),
            );
            builder = builder.proxy(p);
        }
        builder
            .build()
            .map_err(|e| format!("the HTTPS client could not be made: {}", describe(&e)))
    }

    /// What `--check` and the start-up line print.
    pub fn summary(&self) -> String {
        let proxy = match &self.proxy {
            Some(p) => format!("through the forward proxy {p}"),
            None => "directly (no forward proxy)".into(),
        };
        let no_proxy = self
            .no_proxy
            .as_deref()
            .map(|n| format!(", except {n} (NO_PROXY)"))
            .unwrap_or_default();
        let cas = if self.ca_files.is_empty() {
            "the system's roots".to_owned()
        } else {
            format!(
                "the system's roots and {}",
                self.ca_files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        format!("{proxy}{no_proxy}; TLS verified against {cas}")
    }
}

const TUNNEL_REFUSED: &str =
    "the forward proxy refused the tunnel (CONNECT was not answered with 200)";

impl Egress {
    /// Why a call failed, in words; when the proxy refused the tunnel, it
    /// is asked once more by hand, so that its own status (407, 403, ...)
    /// can be named.
    pub async fn explain(&self, error: &reqwest::Error, authority: &str) -> String {
        let said = describe(error);
        if said != TUNNEL_REFUSED {
            return said;
        }
        match self.tunnel_status(authority).await {
            Some(status) if status.starts_with("407") || status.starts_with("401") => format!(
                "proxy login failed ({status}), check the user and password of the proxy URL"
            ),
            Some(status) => format!("the forward proxy refused the tunnel: {status}"),
            None => said,
        }
    }

    /// The status a plain-HTTP forward proxy gives `CONNECT authority`
    /// (with the configured credentials): `407 Proxy Authentication
    /// Required`. Printable text only, at most 100 characters.
    async fn tunnel_status(&self, authority: &str) -> Option<String> {
        use base64::Engine;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let proxy = self.proxy.as_ref()?;
        if proxy.url.scheme() != "http" {
            return None;
        }
        let host = proxy.url.host_str()?.to_owned();
        let port = proxy.url.port_or_known_default()?;
        let limit = Duration::from_secs(5);
        let mut stream =
            tokio::time::timeout(limit, tokio::net::TcpStream::connect((host.as_str(), port)))
                .await
                .ok()?
                .ok()?;
        let mut request = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
        if let Some((user, password)) = proxy.credentials() {
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            request.push_str(&format!("Proxy-Authorization: Basic {token}\r\n"));
        }
        request.push_str("\r\n");
        tokio::time::timeout(limit, stream.write_all(request.as_bytes()))
            .await
            .ok()?
            .ok()?;
        let mut answer = [0u8; 256];
        let n = tokio::time::timeout(limit, stream.read(&mut answer))
            .await
            .ok()?
            .ok()?;
        let line = String::from_utf8_lossy(&answer[..n]);
        let status = line.lines().next()?.split_once(' ')?.1;
        let clean: String = status
            .chars()
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .take(100)
            .collect();
        (!clean.is_empty()).then_some(clean)
    }
}

/// Why a call to a vendor failed, in words, without any URL (and so without
/// proxy credentials): the TLS reason (unknown issuer, wrong name, expired),
/// a proxy that refused the tunnel, a timeout, a refused connection.
pub fn describe(error: &reqwest::Error) -> String {
    let mut chain: Vec<String> = Vec::new();
    let mut tls: Option<String> = None;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(r) = e.downcast_ref::<rustls::Error>() {
            tls = Some(tls_reason(r));
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(r) = io
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            {
                tls = Some(tls_reason(r));
            }
        }
        chain.push(e.to_string());
        source = e.source();
    }
    // The TLS error may arrive inside an io::Error of another layer: its
    // text is rustls's own ("invalid peer certificate: UnknownIssuer").
    let all = chain.join(": ").to_ascii_lowercase();
    if tls.is_none() && all.contains("invalid peer certificate") {
        tls = Some(
            if all.contains("unknownissuer") || all.contains("unknown issuer") {
                tls_reason(&rustls::Error::InvalidCertificate(
                    rustls::CertificateError::UnknownIssuer,
                ))
            } else if all.contains("notvalidforname") || all.contains("not valid for name") {
                tls_reason(&rustls::Error::InvalidCertificate(
                    rustls::CertificateError::NotValidForName,
                ))
            } else if all.contains("expired") {
                tls_reason(&rustls::Error::InvalidCertificate(
                    rustls::CertificateError::Expired,
                ))
            } else if all.contains("notvalidyet") {
                tls_reason(&rustls::Error::InvalidCertificate(
                    rustls::CertificateError::NotValidYet,
                ))
            } else {
                "invalid certificate".into()
            },
        );
    }
    if let Some(reason) = tls {
        return format!("TLS verification failed: {reason}");
    }
    if all.contains("proxy authentication") || all.contains("proxy authorization") {
        return "the forward proxy refused the tunnel: 407 Proxy Authentication Required (check the user and password in the proxy URL)".into();
    }
    if all.contains("unsuccessful tunnel") || all.contains("tunnel") {
        return TUNNEL_REFUSED.into();
    }
    if error.is_timeout() {
        return "no answer in time".into();
    }
    if all.contains("dns error") || all.contains("failed to lookup") {
        return "the host name could not be resolved (a forward proxy may be needed)".into();
    }
    if all.contains("connection refused") {
        return "the connection was refused".into();
    }
    if error.is_connect() {
        return "the connection could not be made".into();
    }
    "the call failed".into()
}

fn tls_reason(error: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match error {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => "unknown issuer: the certificate is not signed by a trusted root (a company's inspection CA needs --ca-file)".into(),
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "wrong name: the certificate is not for this host".into()
            }
            C::Expired | C::ExpiredContext { .. } => "expired certificate".into(),
            C::NotValidYet | C::NotValidYetContext { .. } => "certificate not valid yet".into(),
            C::Revoked => "revoked certificate".into(),
            C::BadSignature => "bad certificate signature".into(),
            other => format!("invalid certificate ({other:?})"),
        },
        other => format!("{other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_password_never_prints() {
        let p = ProxyUrl::parse("http://corp:s3cret@proxy.corp:3128").unwrap();
        assert_eq!(p.to_string(), "http://corp:***@proxy.corp:3128/");
        assert!(!format!("{p:?}").contains("s3cret"));
        assert_eq!(p.credentials(), Some(("corp".into(), "s3cret".into())));
        assert_eq!(p.bare().as_str(), "http://proxy.corp:3128/");
        let encoded = ProxyUrl::parse("http://c%40rp:p%3Ass@proxy:8080").unwrap();
        assert_eq!(encoded.credentials(), Some(("c@rp".into(), "p:ss".into())));
        let bare = ProxyUrl::parse("proxy.corp:3128").unwrap();
        assert_eq!(bare.to_string(), "http://proxy.corp:3128/");
        assert_eq!(bare.credentials(), None);
        let bad = ProxyUrl::parse("socks9://u:topsecret@x").unwrap_err();
        assert!(!bad.contains("topsecret"), "{bad}");
        let bad = ProxyUrl::parse("http://u:topsecret@").unwrap_err();
        assert!(!bad.contains("topsecret"), "{bad}");
    }

    #[test]
    fn the_summary_says_how_the_vendors_are_reached() {
        let e = Egress::from_settings(Some("http://corp:pw@p:3128"), Some("localhost"), vec![])
            .unwrap();
        let s = e.summary();
        assert!(
            s.contains("through the forward proxy http://corp:***@p:3128/"),
            "{s}"
        );
        assert!(s.contains("except localhost"), "{s}");
        assert!(!s.contains("pw@"), "{s}");
        assert!(Egress::from_settings(None, None, vec!["/no/such/ca.pem".into()]).is_err());
    }
}
