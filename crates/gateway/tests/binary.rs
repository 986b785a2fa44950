//! The `sag-console-gateway` binary: every setting documented with its
//! environment variable, `--check`, one JSON access-log line per request
//! (no bodies, no credentials), a clean stop on SIGTERM.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use sag_api::cam::ListUsers;
use sag_api::Scheme;
use support::*;

const BIN: &str = env!("CARGO_BIN_EXE_sag-console-gateway");

#[test]
fn help_documents_every_setting_with_its_variable() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for var in [
        "GATEWAY_LISTEN",
        "GATEWAY_DIST",
        "GATEWAY_BASE",
        "GATEWAY_REGIONS",
        "GATEWAY_TENCENT_INTERNATIONAL",
        "GATEWAY_ALIYUN_UPSTREAM",
        "GATEWAY_TENCENT_UPSTREAM",
        "GATEWAY_PROXY",
        "GATEWAY_NO_PROXY",
        "GATEWAY_CA_FILES",
        "GATEWAY_ALLOW_ORIGINS",
        "GATEWAY_BODY_LIMIT",
        "GATEWAY_UPSTREAM_TIMEOUT_MS",
        "GATEWAY_MAX_CONCURRENT",
        "GATEWAY_QUIET",
        "GATEWAY_THREADS",
    ] {
        assert!(
            help.contains(&format!("env: {var}")),
            "{var} in --help:\n{help}"
        );
    }
    assert!(
        help.contains("HTTPS_PROXY") && help.contains("NO_PROXY"),
        "{help}"
    );
    // A bad setting is refused in words before anything listens.
    let out = Command::new(BIN)
        .args(["--base", "sag", "--allow-origin", "https://x.example/path"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--base") && err.contains("--allow-origin"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_reaches_both_vendors_through_the_proxy_and_names_a_failure() {
    let pki = Pki::new("Example Corp Root");
    let dir = tempfile::tempdir().unwrap();
    let vendors = Vendors::start(&pki, &["localhost"], false).await;
    let proxy = Tinyproxy::start(Some(("corp", "pw-of-the-proxy"))).await;
    let ca = pki.write_ca(dir.path());
    let (upstream, proxy_url) = (
        vendors.upstream(),
        proxy.url(Some(("corp", "pw-of-the-proxy"))),
    );
    let run = move |ca: Option<&std::path::Path>| {
        let mut c = Command::new(BIN);
        c.args(["--check", "--aliyun-upstream"])
            .arg(&upstream)
            .arg("--tencent-upstream")
            .arg(&upstream)
            .arg("--proxy")
            .arg(&proxy_url)
            .env_remove("NO_PROXY")
            .env_remove("no_proxy");
        if let Some(ca) = ca {
            c.arg("--ca-file").arg(ca);
        }
        c.output().unwrap()
    };
    let out = tokio::task::spawn_blocking({
        let (ca, run) = (ca.clone(), run.clone());
        move || run(Some(&ca))
    });
    let out = out.await.unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("through the forward proxy http://corp:***@127.0.0.1:"),
        "{text}"
    );
    assert!(!text.contains("pw-of-the-proxy"), "{text}");
    assert!(
        text.contains("ok    smartag.cn-shanghai.aliyuncs.com: answered HTTP"),
        "{text}"
    );
    assert!(
        text.contains("ok    cam.tencentcloudapi.com: answered HTTP"),
        "{text}"
    );
    // Both hosts are the same test server here: one tunnel may carry both.
    assert!(
        !proxy.connects().is_empty(),
        "the proxy's log shows the tunnel"
    );
    // The proxy from the environment (lower case, as many hosts set it),
    // its password masked there too.
    let env_run = {
        let (upstream, proxy_url, ca) = (
            vendors.upstream(),
            proxy.url(Some(("corp", "pw-of-the-proxy"))),
            ca.clone(),
        );
        move || {
            Command::new(BIN)
                .args([
                    "--check",
                    "--aliyun-upstream",
                    &upstream,
                    "--tencent-upstream",
                    &upstream,
                ])
                .arg("--ca-file")
                .arg(&ca)
                .env_remove("HTTPS_PROXY")
                .env_remove("ALL_PROXY")
                .env_remove("HTTP_PROXY")
                .env_remove("NO_PROXY")
                .env_remove("no_proxy")
                .env("https_proxy", &proxy_url)
                .output()
                .unwrap()
        }
    };
    let before = proxy.connects().len();
    let out = tokio::task::spawn_blocking(env_run).await.unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("through the forward proxy http://corp:***@127.0.0.1:"),
        "{text}"
    );
    assert!(!text.contains("pw-of-the-proxy"), "{text}");
    assert!(
        proxy.connects().len() > before,
        "the tunnel went through the proxy"
    );
    // Without the company's root: refused, named.
    let out = tokio::task::spawn_blocking(move || run(None))
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("FAIL  cam.tencentcloudapi.com: TLS verification failed: unknown issuer"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_json_line_per_request_and_a_clean_stop_on_sigterm() {
    let pki = Pki::new("Example Corp Root");
    let dir = tempfile::tempdir().unwrap();
    let vendors = Vendors::start(&pki, &["localhost"], false).await;
    let ca = pki.write_ca(dir.path());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(BIN)
        .env("GATEWAY_LISTEN", format!("127.0.0.1:{port}"))
        .env("GATEWAY_ALIYUN_UPSTREAM", vendors.upstream())
        .env("GATEWAY_TENCENT_UPSTREAM", vendors.upstream())
        .env("GATEWAY_CA_FILES", &ca)
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let http = reqwest::Client::new();
    let (status, body, request) = send_signed(
        &http,
        &format!("{base}/api/tencent/"),
        &ListUsers,
        Scheme::V3,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let refused = http
        .post(format!("{base}/api/aliyun/us-east-1/?token=abc"))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = tokio::task::spawn_blocking(move || {
        let out = child.stdout.take().unwrap();
        let lines: Vec<String> = BufReader::new(out).lines().map_while(Result::ok).collect();
        (child.wait().unwrap(), lines)
    })
    .await
    .unwrap();
    let (code, lines) = exit;
    assert!(code.success(), "stopped cleanly on SIGTERM: {code:?}");
    assert_eq!(lines.len(), 2, "{lines:?}");
    let first: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(first["method"], "POST");
    assert_eq!(first["path"], "/api/tencent/");
    assert_eq!(first["status"], 200);
    assert_eq!(first["vendor"], "tencent");
    assert!(first["bytes"].as_u64().unwrap() > 0);
    assert!(first["ms"].is_u64());
    let second: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    assert_eq!(
        second["path"], "/api/aliyun/us-east-1/",
        "no query in the log"
    );
    assert_eq!(second["status"], 404);
    let all = lines.join("\n");
    let authorization = request.header("authorization").unwrap().to_owned();
    let signature = authorization.rsplit('=').next().unwrap();
    assert!(
        !all.contains(signature) && !all.contains("token=abc") && !all.contains("AKID"),
        "{all}"
    );
}
