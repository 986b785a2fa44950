//! The gateway serving the console's files like `deploy/nginx.conf`:
//! security headers and caching on every answer, precompressed files,
//! index.html for console routes, a sub-path.

mod support;

use support::*;

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("index.html"),
        "<html><title>SAG Console</title></html>",
    )
    .unwrap();
    std::fs::write(p.join("sag-console-abc_bg.wasm"), b"\0asm plain").unwrap();
    std::fs::write(p.join("sag-console-abc_bg.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(p.join("sag-console-abc.js"), "export {}").unwrap();
    std::fs::write(p.join("config.json"), "{}").unwrap();
    dir
}

fn assert_security_headers(what: &str, r: &reqwest::Response) {
    for (name, value) in [
        (
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        ),
        ("content-security-policy", "frame-ancestors 'none'"),
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
    ] {
        assert_eq!(
            r.headers().get(name).and_then(|v| v.to_str().ok()),
            Some(value),
            "{what}: {name}"
        );
    }
}

fn cache(r: &reqwest::Response) -> String {
    r.headers()["cache-control"].to_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_is_served_at_the_root_like_nginx_serves_it() {
    let files = dist();
    let mut config = sag_console_gateway::Config::new("127.0.0.1:0".parse().unwrap());
    config.dist = Some(files.path().to_owned());
    config.access_log = false;
    let gateway = Gateway::start(config).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let index = http.get(gateway.url("/")).send().await.unwrap();
    assert_eq!(index.status(), 200);
    assert_security_headers("index.html", &index);
    assert_eq!(cache(&index), "no-cache");
    // A console route, as a bookmark asks for it: index.html.
    let deep = http
        .get(gateway.url("/sag/cn-shanghai/sag-app-hq01/online?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(deep.status(), 200);
    assert_security_headers("a console route", &deep);
    assert!(deep.text().await.unwrap().contains("SAG Console"));
    // The hashed wasm, precompressed when the browser takes brotli.
    let wasm = http
        .get(gateway.url("/sag-console-abc_bg.wasm"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-encoding"], "br");
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(cache(&wasm), "public, max-age=31536000, immutable");
    assert_security_headers("the wasm", &wasm);
    assert_eq!(wasm.bytes().await.unwrap().as_ref(), b"brotli bytes");
    let config = http.get(gateway.url("/config.json")).send().await.unwrap();
    assert_eq!(cache(&config), "no-store");
    // No POST to the files; errors carry the headers too.
    let post = http.post(gateway.url("/")).send().await.unwrap();
    assert_eq!(post.status(), 405);
    assert_security_headers("a refusal", &post);
    let health = http.get(gateway.url("/healthz")).send().await.unwrap();
    assert_eq!(health.text().await.unwrap(), "ok\n");
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_sub_path_only_the_console_is_served() {
    let files = dist();
    let mut config = sag_console_gateway::Config::new("127.0.0.1:0".parse().unwrap());
    config.dist = Some(files.path().to_owned());
    config.base = "/sag-console/".into();
    config.access_log = false;
    let gateway = Gateway::start(config).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let bare = http.get(gateway.url("/sag-console")).send().await.unwrap();
    assert_eq!(bare.status(), 301);
    assert_eq!(bare.headers()["location"], "/sag-console/");
    let index = http
        .get(gateway.url("/sag-console/connect"))
        .send()
        .await
        .unwrap();
    assert_eq!(index.status(), 200);
    assert!(index.text().await.unwrap().contains("SAG Console"));
    let wasm = http
        .get(gateway.url("/sag-console/sag-console-abc_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.bytes().await.unwrap().as_ref(), b"\0asm plain");
    for outside in ["/", "/config.json", "/api/tencent/"] {
        let r = http.get(gateway.url(outside)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{outside}");
    }
    gateway.stop().await;
}
