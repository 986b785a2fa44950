//! `sag-console-gateway`: every setting is a flag and an environment
//! variable (`--help` lists them). See `docs/deploy.md`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use sag_console_gateway::{app, check, egress::Egress, serve, Config};

#[derive(Parser, Debug)]
#[command(
    name = "sag-console-gateway",
    version,
    about = "Serves the SAG Console and forwards its API paths to Alibaba Cloud and Tencent Cloud, through a corporate forward proxy when there is one",
    after_help = "Environment: every flag has a variable (shown with each). The forward proxy is --proxy, else HTTPS_PROXY, ALL_PROXY or HTTP_PROXY (upper or lower case); NO_PROXY names hosts reached directly. TLS to the vendors is always verified."
)]
struct Args {
    /// Address and port to listen on.
    #[arg(long, env = "GATEWAY_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The built console (trunk build --release): served at --base. Without
    /// it only the API paths are served (the console is hosted elsewhere).
    #[arg(long, env = "GATEWAY_DIST")]
    dist: Option<PathBuf>,
    /// The path the console is served under, such as /sag-console/ (build it
    /// with trunk build --release --public-url /sag-console/).
    #[arg(long, env = "GATEWAY_BASE", default_value = "/")]
    base: String,
    /// Regions forwarded to Alibaba Cloud, comma-separated (default: the
    /// regions SAG serves).
    #[arg(long, env = "GATEWAY_REGIONS", value_delimiter = ',')]
    regions: Vec<String>,
    /// Forward CAM calls to cam.intl.tencentcloudapi.com (international
    /// accounts; set config.json's tencent.sign_host to match).
    #[arg(long, env = "GATEWAY_TENCENT_INTERNATIONAL")]
    tencent_international: bool,
    /// Where Alibaba requests go, with {region} (an internal mirror, or a
    /// test server). The Host sent stays smartag.{region}.aliyuncs.com.
    #[arg(
        long,
        env = "GATEWAY_ALIYUN_UPSTREAM",
        default_value = "https://smartag.{region}.aliyuncs.com"
    )]
    aliyun_upstream: String,
    /// Where Tencent requests go (default: the CAM host). The Host sent stays
    /// the CAM host the console signs.
    #[arg(long, env = "GATEWAY_TENCENT_UPSTREAM")]
    tencent_upstream: Option<String>,
    /// The forward proxy, http://USER:PASSWORD@HOST:PORT (default: from
    /// HTTPS_PROXY, ALL_PROXY or HTTP_PROXY). Its password is never logged.
    #[arg(long, env = "GATEWAY_PROXY")]
    proxy: Option<String>,
    /// Hosts reached without the proxy, comma-separated (default: NO_PROXY).
    #[arg(long, env = "GATEWAY_NO_PROXY")]
    no_proxy: Option<String>,
    /// A PEM file of roots to trust besides the system's (a company's TLS
    /// inspection CA). Repeatable; comma-separated in the variable.
    #[arg(long = "ca-file", env = "GATEWAY_CA_FILES", value_delimiter = ',')]
    ca_files: Vec<PathBuf>,
    /// An origin whose pages may call the API paths (a console hosted on
    /// another origin), such as https://console.example.com. Repeatable;
    /// comma-separated in the variable. Other origins get 403.
    #[arg(
        long = "allow-origin",
        env = "GATEWAY_ALLOW_ORIGINS",
        value_delimiter = ','
    )]
    allow_origins: Vec<String>,
    /// The largest request body forwarded, in bytes.
    #[arg(long, env = "GATEWAY_BODY_LIMIT", default_value_t = 64 * 1024)]
    body_limit: usize,
    /// How long a vendor may take to answer, in milliseconds.
    #[arg(long, env = "GATEWAY_UPSTREAM_TIMEOUT_MS", default_value_t = 30_000)]
    upstream_timeout_ms: u64,
    /// How many API requests are forwarded at once; more wait (503 after
    /// the upstream timeout).
    #[arg(long, env = "GATEWAY_MAX_CONCURRENT", default_value_t = 256)]
    max_concurrent: usize,
    /// Threads serving requests. 1 (the default) has the lowest latency per
    /// request and forwards a few thousand requests a second, far more than
    /// a console's admins make; more threads for a gateway shared by many.
    #[arg(long, env = "GATEWAY_THREADS", default_value_t = 1)]
    threads: usize,
    /// No access log (one JSON line per request on standard output).
    #[arg(long, env = "GATEWAY_QUIET")]
    quiet: bool,
    /// Print the effective configuration, reach both vendors' hosts through
    /// the configured egress, say how each went, and exit (0: both reached).
    #[arg(long)]
    check: bool,
}

fn config(args: Args) -> Result<Config, String> {
    let mut c = Config::new(args.listen);
    c.dist = args.dist;
    c.base = args.base;
    // Config::new starts with the regions SAG serves.
    if !args.regions.is_empty() {
        c.regions = args.regions.iter().map(|r| r.trim().to_owned()).collect();
    }
    let cam = if args.tencent_international {
        "cam.intl.tencentcloudapi.com"
    } else {
        "cam.tencentcloudapi.com"
    };
    c.tencent_host = cam.into();
    c.tencent_upstream = args
        .tencent_upstream
        .unwrap_or_else(|| format!("https://{cam}"));
    c.aliyun_upstream = args.aliyun_upstream;
    c.egress = Egress::from_settings(
        args.proxy.as_deref(),
        args.no_proxy.as_deref(),
        args.ca_files,
    )?;
    c.allow_origins = args.allow_origins;
    c.body_limit = args.body_limit;
    c.upstream_timeout = Duration::from_millis(args.upstream_timeout_ms.max(1));
    c.max_concurrent = args.max_concurrent.max(1);
    c.access_log = !args.quiet;
    Ok(c)
}

async fn shutdown_signal() {
    let term = async {
        #[cfg(unix)]
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
            return;
        }
        std::future::pending::<()>().await;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = term => {},
    }
    eprintln!("sag-console-gateway: stopping; requests in flight finish first");
}

fn main() -> ExitCode {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args = Args::parse();
    let mut runtime = if args.threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(args.threads);
        b
    };
    match runtime.enable_all().build() {
        Ok(rt) => rt.block_on(run(args)),
        Err(e) => {
            eprintln!("sag-console-gateway: cannot start its runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> ExitCode {
    let checking = args.check;
    let config = match config(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("sag-console-gateway: {e}");
            return ExitCode::from(2);
        }
    };
    if checking {
        println!("{}\n", config.describe());
        let problems = config.problems();
        for p in &problems {
            println!("FAIL  {p}");
        }
        let reached = check(&config).await;
        let lines = match &reached {
            Ok(l) | Err(l) => l,
        };
        for line in lines {
            println!("{line}");
        }
        return if reached.is_ok() && problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    let listen = config.listen;
    let summary = config.describe();
    let router = match app(config) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sag-console-gateway: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("sag-console-gateway: cannot listen on {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "sag-console-gateway listening on http://{}\n{summary}",
        listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default()
    );
    match serve(listener, router, shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sag-console-gateway: {e}");
            ExitCode::FAILURE
        }
    }
}
