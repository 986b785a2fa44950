//! The gateway against nginx, in one run (`scripts/bench-gateway.sh`):
//! the same freshly signed requests (the console's own signing code,
//! ACS3-HMAC-SHA256, a new nonce each) go to the emulator directly, through
//! the gateway's release binary and through nginx with `deploy/nginx.conf`'s
//! API rules (as shipped, and with keep-alive to the upstream), at 1, 50 and
//! 200 concurrent clients. Prints requests per
//! second, the latency each proxy adds over the direct path (p50, p99), and
//! the gateway's resident memory before and after 100,000 requests.
//!
//! Plain HTTP on loopback for all three, so that the figures are the
//! proxies' own cost, not TLS's. A benchmark, not a test: it reports.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sag_api::smartag::DescribeClientUsers;

const REGION: &str = "cn-shanghai";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

async fn wait_port(port: u16) {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("nothing listens on {port}");
}

/// nginx with the API rules of deploy/nginx.conf (method, body limit, the
/// header allow-list, each vendor's Authorization, the signed Host), in
/// plain HTTP, two workers, on two ports: `port` as shipped (deploy/nginx.conf
/// names its upstream through a variable, so each request opens a new
/// upstream connection, HTTP/1.0), `tuned_port` with keep-alive to the
/// upstream (nginx's fastest form).
fn start_nginx(dir: &Path, port: u16, tuned_port: u16, upstream: u16) -> Child {
    let binary = std::env::var("NGINX_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join(".tools/nginx/usr/sbin/nginx"));
    // deploy/nginx.conf's API rules and header allow-list, in both servers.
    let rules = r#"      if ($sag_console_region = "") { return 404; }
      limit_except POST { deny all; }
      client_max_body_size 64k;
"#;
    let headers = "      proxy_set_header Host smartag.$sag_console_region.aliyuncs.com;
      proxy_set_header Content-Type $content_type;
      proxy_set_header Authorization $sag_console_acs3;
      proxy_set_header x-acs-action $http_x_acs_action;
      proxy_set_header x-acs-version $http_x_acs_version;
      proxy_set_header x-acs-date $http_x_acs_date;
      proxy_set_header x-acs-signature-nonce $http_x_acs_signature_nonce;
      proxy_set_header x-acs-content-sha256 $http_x_acs_content_sha256;
      proxy_set_header x-acs-accesskey-id $http_x_acs_accesskey_id;
      proxy_set_header x-acs-security-token $http_x_acs_security_token;
      proxy_hide_header Set-Cookie;
";
    let conf = format!(
        r#"daemon off;
master_process on;
worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  map $http_authorization $sag_console_acs3 {{
    ~^ACS3-HMAC-SHA256\s  $http_authorization;
    default               "";
  }}
  map $uri $sag_console_region {{
    /api/aliyun/cn-shanghai/  cn-shanghai;
    default                   "";
  }}
  upstream emulator {{ server 127.0.0.1:{upstream}; keepalive 256; }}
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    location ^~ /api/aliyun/ {{
{rules}      set $sag_console_upstream http://127.0.0.1:{upstream};
      proxy_pass $sag_console_upstream/;
      proxy_pass_request_headers off;
{headers}    }}
  }}
  server {{
    listen 127.0.0.1:{tuned_port} backlog=4096;
    location ^~ /api/aliyun/ {{
{rules}      proxy_pass http://emulator/;
      proxy_http_version 1.1;
      proxy_pass_request_headers off;
      proxy_set_header Connection "";
{headers}    }}
  }}
}}
"#,
        dir = dir.display()
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).unwrap();
    Command::new(binary)
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(&path)
        .arg("-e")
        .arg(dir.join("error.log"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx (scripts/setup.sh unpacks it into .tools/nginx/)")
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

struct Run {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: usize,
}

/// What one batch measured: every latency, errors, seconds spent.
struct Batch {
    times: Vec<f64>,
    errors: usize,
    seconds: f64,
}

impl Batch {
    fn run(batches: &mut [Batch]) -> Run {
        let mut all: Vec<f64> = batches.iter_mut().flat_map(|b| b.times.drain(..)).collect();
        all.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let seconds: f64 = batches.iter().map(|b| b.seconds).sum();
        let errors = batches.iter().map(|b| b.errors).sum::<usize>();
        Run {
            rps: (all.len() + errors) as f64 / seconds,
            p50_ms: percentile(&all, 0.5),
            p99_ms: percentile(&all, 0.99),
            errors,
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// `total` requests at `clients` at once, each signed afresh.
async fn load(http: &reqwest::Client, url: &str, clients: usize, total: usize) -> Batch {
    let url = Arc::new(url.to_owned());
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (http, url, next) = (http.clone(), url.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut errors = 0;
            let creds = sag_api::Credentials::new(
                cloud_emulator::DEMO_ALIYUN_KEY.0,
                sag_api::Secret::new(cloud_emulator::DEMO_ALIYUN_KEY.1),
            );
            let profile = sag_api::request::Profile {
                aliyun_scheme: sag_api::Scheme::V3,
                ..sag_api::request::Profile::default()
            };
            let action = DescribeClientUsers::page(REGION, "sag-app-hq01", 1, 10);
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if n >= total {
                    break;
                }
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs() as i64;
                let mut random = [0u8; 16];
                random[..8].copy_from_slice(&(n as u64).to_le_bytes());
                random[8..].copy_from_slice(&(started.elapsed().as_nanos() as u64).to_le_bytes());
                let request = sag_api::request::prepare(
                    &action,
                    &creds,
                    &sag_api::RequestStamp::new(now, random),
                    &profile,
                );
                let mut builder = http.post(request.url(&url));
                for (name, value) in &request.headers {
                    builder = builder.header(*name, value);
                }
                if let Some(host) = &request.signed_host {
                    builder = builder.header("host", host);
                }
                let t = Instant::now();
                let ok = match builder
                    .body(request.body.clone().unwrap_or_default())
                    .send()
                    .await
                {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                if ok {
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                } else {
                    errors += 1;
                }
            }
            (times, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (times, e) = t.await.unwrap();
        all.extend(times);
        errors += e;
    }
    Batch {
        times: all,
        errors,
        seconds: started.elapsed().as_secs_f64(),
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let per_level: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let emulator = cloud_emulator::start(cloud_emulator::Config {
        random_seed: Some(3),
        tick_ms: 0,
        ..cloud_emulator::Config::default()
    })
    .await
    .unwrap();
    let emu_port: u16 = emulator.url().rsplit(':').next().unwrap().parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (gw_port, nginx_port, tuned_port) = (free_port(), free_port(), free_port());
    let gateway_bin = std::env::var("GATEWAY_BIN").unwrap_or_else(|_| {
        root()
            .join("target/release/sag-console-gateway")
            .display()
            .to_string()
    });
    let mut gateway = Command::new(&gateway_bin)
        .env("GATEWAY_LISTEN", format!("127.0.0.1:{gw_port}"))
        .env(
            "GATEWAY_ALIYUN_UPSTREAM",
            format!("http://127.0.0.1:{emu_port}"),
        )
        .env("GATEWAY_QUIET", "true")
        .env("GATEWAY_MAX_CONCURRENT", "1024")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the gateway's release binary (cargo build --release -p sag-console-gateway)");
    let mut nginx = start_nginx(dir.path(), nginx_port, tuned_port, emu_port);
    wait_port(gw_port).await;
    wait_port(nginx_port).await;
    wait_port(tuned_port).await;
    let http = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(512)
        .build()
        .unwrap();
    let targets = [
        ("direct", format!("http://127.0.0.1:{emu_port}/")),
        (
            "gateway",
            format!("http://127.0.0.1:{gw_port}/api/aliyun/{REGION}/"),
        ),
        (
            "nginx",
            format!("http://127.0.0.1:{nginx_port}/api/aliyun/{REGION}/"),
        ),
        (
            "nginx-ka",
            format!("http://127.0.0.1:{tuned_port}/api/aliyun/{REGION}/"),
        ),
    ];
    for (_, url) in &targets {
        let _ = load(&http, url, 20, 2_000).await;
    }
    println!("requests per level: {per_level} ({} with one client), in five alternating rounds; DescribeSmartAccessGatewayClientUsers, ACS3-signed afresh each", per_level / 4);
    println!(
        "{:>8} {:>8} {:>10} {:>9} {:>9} {:>12} {:>12} {:>7}",
        "clients", "via", "req/s", "p50 ms", "p99 ms", "+p50 ms", "+p99 ms", "errors"
    );
    let mut summary = Vec::new();
    // Each level in five rounds that take turns (direct, gateway, nginx,
    // direct, ...), so that the machine's drift falls on all three alike.
    const ROUNDS: usize = 5;
    for clients in [1usize, 50, 200] {
        let total = if clients == 1 {
            per_level / 4
        } else {
            per_level
        };
        let mut batches: Vec<Vec<Batch>> = targets.iter().map(|_| Vec::new()).collect();
        for _ in 0..ROUNDS {
            for (i, (_, url)) in targets.iter().enumerate() {
                batches[i].push(load(&http, url, clients, total / ROUNDS).await);
            }
        }
        let mut direct = None;
        for ((name, _), mut batch) in targets.iter().zip(batches) {
            let run = Batch::run(&mut batch);
            let (add50, add99) = match &direct {
                Some(d) => {
                    let d: &Run = d;
                    (run.p50_ms - d.p50_ms, run.p99_ms - d.p99_ms)
                }
                None => (0.0, 0.0),
            };
            println!(
                "{clients:>8} {name:>8} {:>10.0} {:>9.2} {:>9.2} {:>12.2} {:>12.2} {:>7}",
                run.rps, run.p50_ms, run.p99_ms, add50, add99, run.errors
            );
            summary.push((clients, *name, run.rps, run.p99_ms));
            if *name == "direct" {
                direct = Some(run);
            }
        }
    }
    // Memory: after the levels above (the most clients it has seen), then
    // after 100,000 more requests, measured every 25,000.
    let rss_start = rss_kb(gateway.id());
    let mut marks = Vec::new();
    for _ in 0..4 {
        let _ = load(&http, &targets[1].1, 200, 25_000).await;
        marks.push(rss_kb(gateway.id()));
    }
    let rss_end = *marks.last().unwrap();
    println!(
        "gateway resident memory: {rss_start} KB before, then {} KB every 25,000 requests: {:+} KB after 100,000",
        marks.iter().map(u64::to_string).collect::<Vec<_>>().join(", "),
        rss_end as i64 - rss_start as i64
    );
    for clients in [1usize, 50, 200] {
        let of = |via: &str| {
            summary
                .iter()
                .find(|(c, n, _, _)| *c == clients && *n == via)
                .map(|(_, _, rps, p99)| (*rps, *p99))
                .unwrap()
        };
        let (g_rps, g_p99) = of("gateway");
        for (label, via) in [
            ("nginx as shipped", "nginx"),
            ("nginx with upstream keep-alive", "nginx-ka"),
        ] {
            let (n_rps, n_p99) = of(via);
            println!(
                "{clients:>3} clients, against {label}: gateway throughput {:+.1}%, p99 {:+.1}% ({})",
                (g_rps / n_rps - 1.0) * 100.0,
                (g_p99 / n_p99 - 1.0) * 100.0,
                if g_rps >= 0.9 * n_rps && g_p99 <= 1.1 * n_p99 {
                    "within the 10% budget"
                } else {
                    "OUTSIDE the 10% budget"
                }
            );
        }
    }
    // SIGTERM: nginx's master stops its workers; the gateway drains.
    for child in [&mut gateway, &mut nginx] {
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let _ = child.wait();
    }
    emulator.stop().await;
}
