//! `cloud-emulator`: serve the emulated Smartag and CAM APIs until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use cloud_emulator::{Config, Faults, KeyPair, Seed, DEMO_ALIYUN_KEY, DEMO_TENCENT_KEY};

/// Stands in for Alibaba Cloud Smartag (2018-03-13) and Tencent Cloud CAM
/// (2019-01-16): real signature checks, state, paging, online clients and
/// fault injection, on one machine.
#[derive(Parser, Debug)]
#[command(name = "cloud-emulator", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// Initial data when no --state file exists yet: demo, empty, or big:N
    /// (the demo data plus an instance sag-app-big01 with N users).
    #[arg(long, default_value = "demo")]
    seed: Seed,
    /// Makes the online simulation and fault injection repeatable.
    #[arg(long)]
    random_seed: Option<u64>,
    /// An Alibaba AccessKey pair to accept: ID:SECRET, or ID:SECRET:STS_TOKEN for
    /// temporary credentials. Repeatable. Without it a demo pair is used.
    #[arg(long = "aliyun-key", value_parser = KeyPair::parse)]
    aliyun_keys: Vec<KeyPair>,
    /// A Tencent SecretId:SecretKey pair (or ID:KEY:TOKEN). Repeatable.
    #[arg(long = "tencent-key", value_parser = KeyPair::parse)]
    tencent_keys: Vec<KeyPair>,
    /// The host Tencent requests are signed for (Tencent signs the host).
    #[arg(long, default_value = sag_api::cam::DEFAULT_HOST)]
    tencent_host: String,
    /// Fraction of API requests refused with the vendor's throttling code.
    #[arg(long, default_value_t = 0.0)]
    throttle_rate: f64,
    /// Fraction of API requests refused with a 5xx.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Added latency per request, MIN..MAX milliseconds (e.g. 50..400).
    #[arg(long, value_parser = parse_range)]
    latency_ms: Option<(u64, u64)>,
    /// Fraction of answers cut off or replaced by an HTML error page (the action still runs).
    #[arg(long, default_value_t = 0.0)]
    malformed_rate: f64,
    /// Disable the /_emulator/ control endpoints.
    #[arg(long)]
    no_control: bool,
    /// Keep state in this JSON file across restarts (written atomically).
    #[arg(long)]
    state: Option<PathBuf>,
    /// Online simulation step in milliseconds (0 = only through /_emulator/tick).
    #[arg(long, default_value_t = 5000)]
    tick_ms: u64,
    /// Do not print a line per request.
    #[arg(long)]
    quiet: bool,
    /// Serve at most N client users per page (and answer that PageSize),
    /// as a service that caps pages below what was asked would.
    #[arg(long, value_name = "N")]
    user_page_cap: Option<u64>,
}

fn parse_range(text: &str) -> Result<(u64, u64), String> {
    let (lo, hi) = text.split_once("..").unwrap_or((text, text));
    let lo = lo
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("expected MIN..MAX milliseconds, got {text:?}"))?;
    let hi = hi
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("expected MIN..MAX milliseconds, got {text:?}"))?;
    if lo > hi {
        return Err(format!("MIN must not exceed MAX in {text:?}"));
    }
    Ok((lo, hi))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let demo_aliyun = args.aliyun_keys.is_empty();
    let demo_tencent = args.tencent_keys.is_empty();
    let defaults = Config::default();
    let config = Config {
        listen: args.listen,
        seed: args.seed,
        random_seed: args.random_seed,
        aliyun_keys: if demo_aliyun {
            defaults.aliyun_keys
        } else {
            args.aliyun_keys
        },
        tencent_keys: if demo_tencent {
            defaults.tencent_keys
        } else {
            args.tencent_keys
        },
        tencent_host: args.tencent_host,
        faults: Faults {
            throttle_rate: args.throttle_rate,
            error_rate: args.error_rate,
            malformed_rate: args.malformed_rate,
            latency_ms: args.latency_ms.unwrap_or((0, 0)),
            ..Faults::default()
        },
        control: !args.no_control,
        state_file: args.state,
        tick_ms: args.tick_ms,
        log_requests: !args.quiet,
        user_page_cap: args.user_page_cap,
    };
    let running = match cloud_emulator::start(config).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cloud-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("cloud-emulator listening on {}", running.url());
    if demo_aliyun {
        println!(
            "  Alibaba Cloud demo AccessKey:  {}  secret: {}",
            DEMO_ALIYUN_KEY.0, DEMO_ALIYUN_KEY.1
        );
    }
    if demo_tencent {
        println!(
            "  Tencent Cloud demo SecretId:   {}  key: {}",
            DEMO_TENCENT_KEY.0, DEMO_TENCENT_KEY.1
        );
    }
    println!(
        "  Tencent requests are verified for host {}",
        running.shared.config.tencent_host
    );
    if running.shared.config.control {
        println!(
            "  control endpoints: {}/_emulator/ (see docs/emulator.md)",
            running.url()
        );
    }
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("cloud-emulator: cannot listen for Ctrl-C; stopping");
    }
    println!("cloud-emulator: stopping");
    running.stop().await;
    ExitCode::SUCCESS
}
