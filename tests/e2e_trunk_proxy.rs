//! End-to-end: the development proxy of `trunk serve`, configured by the
//! project's own Trunk.toml (only its emulator address and the page it
//! serves are swapped for the test's), passes both vendors' V3 signatures
//! and v1 to the cloud emulator for every region config.dev.json lists: it
//! forwards the signature headers and sends the host the console signs.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::process::Stdio;
use std::time::Duration;

/// Trunk.toml with the emulator at `upstream`, no build hooks, and a plain
/// page as its target (nothing to compile).
fn trunk_toml(upstream: &str) -> String {
    let ours = include_str!("../Trunk.toml");
    let hooks = ours.find("[[hooks]]").expect("Trunk.toml has a hook");
    let after = ours[hooks..].find("\n\n").map_or(ours.len(), |e| hooks + e);
    let mut text = format!("{}{}", &ours[..hooks], &ours[after..]);
    assert!(text.contains("http://127.0.0.1:8787/"));
    text = text.replace("http://127.0.0.1:8787/", &format!("{upstream}/"));
    text
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trunks_proxy_passes_v3_and_v1_signatures_for_every_region() {
    support::tls_provider();
    let emulator = cloud_emulator::start(cloud_emulator::Config {
        random_seed: Some(11),
        tick_ms: 0,
        ..cloud_emulator::Config::default()
    })
    .await
    .expect("emulator starts");
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("index.html"),
        "<!doctype html><title>proxy test</title>",
    )
    .unwrap();
    std::fs::write(site.path().join("Trunk.toml"), trunk_toml(&emulator.url())).unwrap();
    let port = free_port();
    let mut trunk = tokio::process::Command::new("trunk")
        .arg("--config")
        .arg(site.path().join("Trunk.toml"))
        .args(["serve", "--offline", "--port", &port.to_string()])
        .current_dir(site.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("trunk is on PATH (scripts/setup.sh installs it; source scripts/env.sh)");
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let mut up = false;
    for _ in 0..300 {
        if http
            .get(format!("{base}/"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(up, "trunk serve answered on {base} within 60 s");
    let dev: serde_json::Value = serde_json::from_str(include_str!("../config.dev.json")).unwrap();
    let regions = dev["aliyun"]["regions"].as_array().unwrap();
    assert!(regions.len() >= 7);
    for region in regions {
        let id = region["id"].as_str().unwrap();
        support::assert_proxy_passes_every_scheme(
            &http,
            &format!("{base}/api/aliyun/{id}/"),
            &format!("{base}/api/tencent/"),
            id,
        )
        .await;
    }
    trunk.kill().await.ok();
    emulator.stop().await;
}
