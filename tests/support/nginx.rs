//! A real nginx running one of the shipped `deploy/*.conf` files, with only
//! the listen addresses, the certificate paths, the static root and the
//! vendors' upstream addresses swapped for the test's (each swap must match
//! exactly as often as expected, so a reshaped example fails loudly instead of
//! being tested half). TLS is real, with a throwaway self-signed certificate.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

pub struct Nginx {
    /// The HTTPS listener (the shipped `listen 443 ssl http2`).
    pub addr: SocketAddr,
    /// The plain HTTP listener (the shipped `listen 80`, which redirects).
    pub plain_addr: SocketAddr,
    /// The path the console is deployed under: "" or "/sag-console".
    pub base: String,
    /// The configuration nginx runs, after the swaps (for failure messages).
    pub site: String,
    dir: tempfile::TempDir,
    child: std::sync::Mutex<Option<Child>>,
}

/// The nginx binary: `$NGINX_BIN` (scripts/env.sh points it at the one
/// scripts/setup.sh unpacks into .tools/), else `nginx` on PATH.
fn binary() -> PathBuf {
    let unpacked = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/nginx/usr/sbin/nginx");
    match std::env::var_os("NGINX_BIN").map(PathBuf::from) {
        Some(path) if path.is_file() => path,
        _ if unpacked.is_file() => unpacked,
        _ => PathBuf::from("nginx"),
    }
}

/// `mime.types` of the same nginx (it maps `.wasm` to `application/wasm`).
fn mime_types(nginx: &Path) -> PathBuf {
    // .tools/nginx/usr/sbin/nginx -> .tools/nginx/etc/nginx/mime.types
    let beside = nginx
        .parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .map(|root| root.join("etc/nginx/mime.types"));
    match beside {
        Some(path) if path.is_file() => path,
        _ => PathBuf::from("/etc/nginx/mime.types"),
    }
}

fn swap(text: &mut String, from: &str, to: &str, times: usize) {
    let found = text.matches(from).count();
    assert_eq!(
        found, times,
        "the shipped nginx example should contain {from:?} {times} time(s), found {found}: the test swaps it"
    );
    *text = text.replace(from, to);
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Nginx {
    /// Runs `deploy/<file>` serving `dist` (built for `base`), forwarding both
    /// vendors' API paths to `upstream` (the emulator, `http://127.0.0.1:P`).
    pub async fn start(file: &str, dist: &Path, base: &str, upstream: &str) -> Nginx {
        super::tls_provider();
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("deploy")
            .join(file);
        let mut site = std::fs::read_to_string(&shipped)
            .unwrap_or_else(|e| panic!("read {}: {e}", shipped.display()));
        let dir = tempfile::tempdir().expect("a folder for nginx");
        let root = dir.path();

        let cert = root.join("fullchain.pem");
        let key = root.join("privkey.pem");
        let made = std::process::Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .args([
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl makes a test certificate");
        assert!(made.success(), "openssl could not make a test certificate");

        let (tls, plain) = (free_port(), free_port());
        swap(
            &mut site,
            "listen 443 ssl http2;",
            &format!("listen 127.0.0.1:{tls} ssl http2;"),
            1,
        );
        if site.contains("listen 80;") {
            swap(
                &mut site,
                "listen 80;",
                &format!("listen 127.0.0.1:{plain};"),
                1,
            );
        }
        swap(
            &mut site,
            "/etc/ssl/sag-console/",
            &format!("{}/", root.display()),
            2,
        );
        let dist = dist.canonicalize().expect("the built console");
        if site.contains("root /srv/sag-console/dist;") {
            swap(
                &mut site,
                "root /srv/sag-console/dist;",
                &format!("root {};", dist.display()),
                1,
            );
        } else {
            swap(
                &mut site,
                "alias /srv/sag-console/dist/;",
                &format!("alias {}/;", dist.display()),
                1,
            );
        }
        swap(
            &mut site,
            "https://smartag.$sag_console_region.aliyuncs.com/",
            &format!("{upstream}/"),
            1,
        );
        swap(
            &mut site,
            "set $sag_console_cam https://cam.tencentcloudapi.com;",
            &format!("set $sag_console_cam {upstream};"),
            1,
        );

        let nginx = binary();
        let path = |name: &str| root.join(name).display().to_string();
        let conf = format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {pid};\nerror_log {error} info;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n  include {mime};\n  default_type application/octet-stream;\n  access_log {access};\n  \
             client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n  fastcgi_temp_path {tmp}/fastcgi;\n  \
             uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n\n{site}\n}}\n",
            pid = path("nginx.pid"),
            error = path("error.log"),
            mime = mime_types(&nginx).display(),
            access = path("access.log"),
            tmp = root.display(),
        );
        let conf_path = root.join("nginx.conf");
        std::fs::write(&conf_path, conf).expect("write nginx.conf");

        // nginx -p <dir> -c <conf> -e <log>, checked (-t) then run.
        let args = [
            "-p".into(),
            root.as_os_str().to_owned(),
            "-c".into(),
            conf_path.as_os_str().to_owned(),
            "-e".into(),
            root.join("error.log").into_os_string(),
        ];
        let check = std::process::Command::new(&nginx)
            .arg("-t")
            .args(&args)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run {} ({e}); scripts/setup.sh unpacks Debian's nginx into .tools/nginx/",
                    nginx.display()
                )
            });
        assert!(
            check.status.success(),
            "nginx refuses deploy/{file}:\n{}\n--- as run:\n{site}",
            String::from_utf8_lossy(&check.stderr)
        );
        let child = Command::new(&nginx)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("nginx starts");
        let addr: SocketAddr = format!("127.0.0.1:{tls}").parse().unwrap();
        let plain_addr: SocketAddr = format!("127.0.0.1:{plain}").parse().unwrap();
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(addr).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Nginx {
            addr,
            plain_addr,
            base: base.trim_end_matches('/').to_owned(),
            site,
            dir,
            child: std::sync::Mutex::new(Some(child)),
        }
    }

    /// The console's `path` (such as "/connect") under this deployment.
    pub fn url(&self, path: &str) -> String {
        format!("https://{}{}{path}", self.addr, self.base)
    }

    /// nginx's error log so far (for failure messages).
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }

    pub fn stop(&self) {
        if let Some(mut child) = self.child.lock().unwrap().take() {
            let _ = child.start_kill();
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        self.stop();
    }
}
