//! Real parts for the gateway's tests: a throwaway CA and certificates
//! (rcgen), the cloud emulator behind TLS, Debian's tinyproxy as the
//! corporate forward proxy (unpacked into `.tools/` by scripts/setup.sh),
//! and the gateway itself, in process or as its binary.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sag_console_gateway::{Config, SAG_REGIONS};

pub fn tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A CA and certificates it signs.
pub struct Pki {
    pub ca_pem: String,
    ca_cert: rcgen::Certificate,
    ca_key: rcgen::KeyPair,
}

pub struct Leaf {
    pub chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    pub key: rustls::pki_types::PrivateKeyDer<'static>,
}

impl Pki {
    pub fn new(name: &str) -> Pki {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let ca_cert = params.self_signed(&ca_key).unwrap();
        Pki {
            ca_pem: ca_cert.pem(),
            ca_cert,
            ca_key,
        }
    }

    /// A server certificate for `names`; `expired` makes one that ended in 2001.
    pub fn leaf(&self, names: &[&str], expired: bool) -> Leaf {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(
            names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>(),
        )
        .unwrap();
        if expired {
            params.not_before = rcgen::date_time_ymd(2000, 1, 1);
            params.not_after = rcgen::date_time_ymd(2001, 1, 1);
        }
        let cert = params.signed_by(&key, &self.ca_cert, &self.ca_key).unwrap();
        Leaf {
            chain: vec![cert.der().clone()],
            key: rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        }
    }

    pub fn write_ca(&self, dir: &Path) -> PathBuf {
        let path = dir.join("corp-root.pem");
        std::fs::write(&path, &self.ca_pem).unwrap();
        path
    }
}

/// A TLS front for a plain server (the emulator): decrypts and passes the
/// bytes on, as a vendor's TLS endpoint would.
pub struct TlsFront {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl TlsFront {
    pub async fn start(leaf: Leaf, backend: SocketAddr) -> TlsFront {
        tls_provider();
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(leaf.chain, leaf.key)
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let Ok(mut plain) = tokio::net::TcpStream::connect(backend).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                });
            }
        });
        TlsFront { addr, task }
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

fn tinyproxy_binary() -> PathBuf {
    let unpacked =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/tinyproxy/usr/bin/tinyproxy");
    match std::env::var_os("TINYPROXY_BIN").map(PathBuf::from) {
        Some(p) if p.is_file() => p,
        _ if unpacked.is_file() => unpacked,
        _ => PathBuf::from("tinyproxy"),
    }
}

/// Debian's tinyproxy, on a loopback port, with Basic credentials when
/// given; its log names every CONNECT.
pub struct Tinyproxy {
    pub port: u16,
    dir: tempfile::TempDir,
    child: std::process::Child,
}

impl Tinyproxy {
    pub async fn start(credentials: Option<(&str, &str)>) -> Tinyproxy {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let log = dir.path().join("tp.log");
        let mut conf = format!(
            "Port {port}\nListen 127.0.0.1\nTimeout 60\nLogFile \"{}\"\nLogLevel Connect\nPidFile \"{}\"\nMaxClients 300\nAllow 127.0.0.1\nDisableViaHeader Yes\n",
            log.display(),
            dir.path().join("tp.pid").display()
        );
        if let Some((user, password)) = credentials {
            conf.push_str(&format!("BasicAuth {user} {password}\n"));
        }
        let conf_path = dir.path().join("tinyproxy.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let child = std::process::Command::new(tinyproxy_binary())
            .arg("-d")
            .arg("-c")
            .arg(&conf_path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "tinyproxy could not start ({e}): run scripts/setup.sh, which unpacks Debian's tinyproxy-bin into .tools/tinyproxy/"
                )
            });
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Tinyproxy { port, dir, child }
    }

    pub fn url(&self, credentials: Option<(&str, &str)>) -> String {
        match credentials {
            Some((u, p)) => format!("http://{u}:{p}@127.0.0.1:{}", self.port),
            None => format!("http://127.0.0.1:{}", self.port),
        }
    }

    /// The CONNECT lines of its log so far.
    pub fn connects(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("tp.log"))
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("Request (file descriptor") && l.contains("CONNECT "))
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The emulator behind TLS with a certificate of `pki` for localhost.
pub struct Vendors {
    pub emulator: cloud_emulator::Running,
    pub front: TlsFront,
}

impl Vendors {
    pub async fn start(pki: &Pki, names: &[&str], expired: bool) -> Vendors {
        let emulator = cloud_emulator::start(cloud_emulator::Config {
            random_seed: Some(7),
            tick_ms: 0,
            ..cloud_emulator::Config::default()
        })
        .await
        .unwrap();
        let backend: SocketAddr = emulator
            .url()
            .trim_start_matches("http://")
            .parse()
            .unwrap();
        let front = TlsFront::start(pki.leaf(names, expired), backend).await;
        Vendors { emulator, front }
    }

    /// The upstream URL as the gateway is told it: `https://localhost:PORT`.
    pub fn upstream(&self) -> String {
        format!("https://localhost:{}", self.front.addr.port())
    }

    /// What the emulator's request log holds.
    pub fn log(&self) -> Vec<cloud_emulator::LogEntry> {
        self.emulator.shared.lock().log.iter().cloned().collect()
    }
}

/// The way out: through `proxy` if given, trusting `ca` besides the
/// system's roots, never the environment's proxy settings.
pub fn egress(proxy: Option<&str>, ca: Option<PathBuf>) -> sag_console_gateway::egress::Egress {
    sag_console_gateway::egress::Egress {
        proxy: proxy.map(|p| sag_console_gateway::egress::ProxyUrl::parse(p).unwrap()),
        no_proxy: None,
        ca_files: ca.into_iter().collect(),
    }
}

/// A gateway configuration in front of `vendors`.
pub fn config_for(vendors: &Vendors) -> Config {
    let mut c = Config::new("127.0.0.1:0".parse().unwrap());
    c.aliyun_upstream = vendors.upstream();
    c.tencent_upstream = vendors.upstream();
    c.regions = SAG_REGIONS.iter().map(|r| (*r).to_owned()).collect();
    c.access_log = false;
    c.upstream_timeout = Duration::from_secs(10);
    c
}

/// The gateway, in process.
pub struct Gateway {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Gateway {
    pub async fn start(config: Config) -> Gateway {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Gateway::start_on(listener, config).await
    }

    /// On a listener bound earlier (when its port must be known first).
    pub async fn start_on(listener: tokio::net::TcpListener, config: Config) -> Gateway {
        tls_provider();
        let app = sag_console_gateway::app(config).expect("a valid configuration");
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(sag_console_gateway::serve(listener, app, async move {
            let _ = rx.await;
        }));
        Gateway {
            addr,
            stop: Some(tx),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops accepting; waits for requests in flight.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    pub fn begin_stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// Signs `action` with the console's own code and posts it to `url`.
pub async fn send_signed<A: sag_api::Action>(
    http: &reqwest::Client,
    url: &str,
    action: &A,
    scheme: sag_api::Scheme,
) -> (u16, String, sag_api::HttpRequest) {
    let creds = match A::PRODUCT {
        sag_api::Product::Smartag => sag_api::Credentials::new(
            cloud_emulator::DEMO_ALIYUN_KEY.0,
            sag_api::Secret::new(cloud_emulator::DEMO_ALIYUN_KEY.1),
        ),
        sag_api::Product::Cam => sag_api::Credentials::new(
            cloud_emulator::DEMO_TENCENT_KEY.0,
            sag_api::Secret::new(cloud_emulator::DEMO_TENCENT_KEY.1),
        ),
    };
    let profile = sag_api::request::Profile {
        aliyun_scheme: scheme,
        tencent_scheme: scheme,
        ..sag_api::request::Profile::default()
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let stamp = sag_api::RequestStamp::new(now, rand_bytes());
    let request = sag_api::request::prepare(action, &creds, &stamp, &profile);
    let mut builder = http.post(request.url(url));
    for (name, value) in &request.headers {
        builder = builder.header(*name, value);
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    let response = builder.send().await.expect("the gateway answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default(), request)
}

fn rand_bytes() -> [u8; 16] {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&n.to_le_bytes());
    out[8..].copy_from_slice(&t.to_le_bytes());
    out
}

/// One raw HTTP/1.1 exchange (for requests no client library would send).
pub async fn raw(addr: SocketAddr, request: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}
