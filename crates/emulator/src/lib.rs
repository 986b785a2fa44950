//! `cloud-emulator`: stands in for Alibaba Cloud Smartag (`2018-03-13`) and
//! Tencent Cloud CAM (`2019-01-16`) on one machine. It verifies signatures as
//! the vendors do, keeps real state, pages results, simulates clients coming
//! and going, and injects faults on demand. Used by `trunk serve` (through its
//! proxy) and by every end-to-end test (in-process, through [`start`]).

pub mod cam;
pub mod control;
pub mod persist;
pub mod protocol;
pub mod seed;
pub mod smartag;
pub mod state;
pub mod xml;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use seed::Seed;
use state::World;

/// An AccessKey (Alibaba) or SecretId (Tencent) the emulator accepts. With a
/// `token` it is temporary (STS): requests must carry that token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPair {
    pub id: String,
    pub secret: String,
    pub token: Option<String>,
}

impl KeyPair {
    /// Parses `ID:SECRET` or `ID:SECRET:STS_TOKEN`.
    pub fn parse(text: &str) -> Result<KeyPair, String> {
        let mut parts = text.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(id), Some(secret), token) if !id.is_empty() && !secret.is_empty() => {
                Ok(KeyPair {
                    id: id.into(),
                    secret: secret.into(),
                    token: token.filter(|t| !t.is_empty()).map(Into::into),
                })
            }
            _ => Err(format!(
                "expected ID:SECRET or ID:SECRET:STS_TOKEN, got {text:?}"
            )),
        }
    }
}

/// The demo key pairs used when no `--aliyun-key` / `--tencent-key` is given.
pub const DEMO_ALIYUN_KEY: (&str, &str) =
    ("LTAIdemoConsoleKey01", "demoAliyunSecretForTheEmulator01");
pub const DEMO_TENCENT_KEY: (&str, &str) = (
    "AKIDdemoConsoleKey0000000001",
    "demoTencentSecretForTheEmulator1",
);

/// Fault injection, each rate a probability per API request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Only these actions are affected (empty: every action).
    pub actions: Vec<String>,
    /// Stop after injecting this many faults (none: no limit). Makes a test
    /// deterministic: "the next two list calls are throttled".
    pub count: Option<u32>,
    /// Refused with the vendor's throttling code; the action does not run.
    pub throttle_rate: f64,
    /// Refused with a 5xx; the action does not run.
    pub error_rate: f64,
    /// The action runs, but the answer is cut off or replaced by an HTML error page.
    pub malformed_rate: f64,
    /// Added delay, uniformly between the two bounds (ms).
    pub latency_ms: (u64, u64),
}

impl Faults {
    pub fn validate(&self) -> Result<(), String> {
        for (name, rate) in [
            ("throttle rate", self.throttle_rate),
            ("error rate", self.error_rate),
            ("malformed rate", self.malformed_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("the {name} must be between 0 and 1, got {rate}"));
            }
        }
        if self.throttle_rate + self.error_rate + self.malformed_rate > 1.0 {
            return Err("the fault rates add up to more than 1".into());
        }
        if self.latency_ms.0 > self.latency_ms.1 {
            return Err(format!(
                "latency MIN..MAX has MIN > MAX ({}..{})",
                self.latency_ms.0, self.latency_ms.1
            ));
        }
        if self.latency_ms.1 > MAX_LATENCY_MS {
            return Err(format!(
                "latency must be at most {MAX_LATENCY_MS} ms (the console's longest timeout), got {}..{}",
                self.latency_ms.0, self.latency_ms.1
            ));
        }
        Ok(())
    }
}

/// The longest injected delay: the console's longest request timeout
/// (`request_timeout_ms` at most 120,000). A longer one would only hold
/// connections and the state lock's users open.
pub const MAX_LATENCY_MS: u64 = 120_000;

/// The last second an HTTP date can name (9999-12-31T23:59:59Z): the
/// latest clock the emulator can be pinned to.
pub const LAST_HTTP_DATE: i64 = 253_402_300_799;

/// The most simulation steps one `/_emulator/tick` call may ask for: the
/// steps run under the state lock, and a bigger count would stall requests.
pub const MAX_TICKS_PER_CALL: u32 = 10_000;

/// Everything the command line sets.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub seed: Seed,
    /// Makes the online simulation and fault injection repeatable.
    pub random_seed: Option<u64>,
    pub aliyun_keys: Vec<KeyPair>,
    pub tencent_keys: Vec<KeyPair>,
    /// The host Tencent requests are signed for.
    pub tencent_host: String,
    pub faults: Faults,
    pub control: bool,
    pub state_file: Option<PathBuf>,
    /// How often the online simulation steps; 0 turns the timer off.
    pub tick_ms: u64,
    /// Print one line per request.
    pub log_requests: bool,
    /// Serve at most this many client users per page, whatever `PageSize`
    /// asks for, and answer the capped `PageSize` (the vendor documents no
    /// maximum; its instance list caps at 50). `None`: the documented-free
    /// default of 100.
    pub user_page_cap: Option<u64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: Seed::Demo,
            random_seed: None,
            aliyun_keys: vec![KeyPair {
                id: DEMO_ALIYUN_KEY.0.into(),
                secret: DEMO_ALIYUN_KEY.1.into(),
                token: None,
            }],
            tencent_keys: vec![KeyPair {
                id: DEMO_TENCENT_KEY.0.into(),
                secret: DEMO_TENCENT_KEY.1.into(),
                token: None,
            }],
            tencent_host: sag_api::cam::DEFAULT_HOST.into(),
            faults: Faults::default(),
            control: true,
            state_file: None,
            tick_ms: 5000,
            log_requests: false,
            user_page_cap: None,
        }
    }
}

/// One served request, as `/_emulator/requests` lists it. No secrets.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LogEntry {
    pub seq: u64,
    pub unix_seconds: i64,
    pub vendor: String,
    /// The signature the request carried: `v1`, `ACS3-HMAC-SHA256` or
    /// `TC3-HMAC-SHA256`.
    pub signature: String,
    pub method: String,
    pub action: String,
    pub status: u16,
    /// The error code, or `OK`.
    pub outcome: String,
    pub fault: Option<String>,
    /// Time to the answer, the injected latency included.
    pub latency_ms: u64,
    /// The names of the headers received (lower case, sorted), never their
    /// values: what a proxy let through.
    #[serde(default)]
    pub headers: Vec<String>,
}

/// Mutable emulator state, behind one lock (critical sections are tiny).
pub struct Inner {
    pub world: World,
    /// Pinned emulator time (Unix seconds), for replaying recorded requests.
    pub pinned_clock: Option<i64>,
    /// Seen (key, nonce) pairs and when they may be forgotten.
    pub nonces: HashMap<String, i64>,
    pub faults: Faults,
    pub fault_rng: ChaCha8Rng,
    pub sim_rng: ChaCha8Rng,
    pub id_rng: ChaCha8Rng,
    pub log: VecDeque<LogEntry>,
    pub seq: u64,
}

/// What every request handler shares.
pub struct Shared {
    pub config: Config,
    inner: Mutex<Inner>,
    /// Held while the state file is written (see `persist`).
    persist_lock: Mutex<()>,
}

const LOG_CAPACITY: usize = 2000;
/// Probability that an idle user connects / an online user leaves per tick.
const SIM_P_ON: f64 = 0.004;
const SIM_P_OFF: f64 = 0.08;

fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn rngs(random_seed: Option<u64>) -> (ChaCha8Rng, ChaCha8Rng, ChaCha8Rng) {
    match random_seed {
        Some(seed) => (
            ChaCha8Rng::seed_from_u64(seed),
            ChaCha8Rng::seed_from_u64(seed.wrapping_add(1)),
            ChaCha8Rng::seed_from_u64(seed.wrapping_add(2)),
        ),
        None => (
            ChaCha8Rng::from_entropy(),
            ChaCha8Rng::from_entropy(),
            ChaCha8Rng::from_entropy(),
        ),
    }
}

impl Shared {
    fn new(config: Config, world: World) -> Shared {
        let (fault_rng, sim_rng, id_rng) = rngs(config.random_seed);
        let inner = Inner {
            world,
            pinned_clock: None,
            nonces: HashMap::new(),
            faults: config.faults.clone(),
            fault_rng,
            sim_rng,
            id_rng,
            log: VecDeque::new(),
            seq: 0,
        };
        Shared {
            config,
            inner: Mutex::new(inner),
            persist_lock: Mutex::new(()),
        }
    }

    /// Locks the state; a panic in another handler does not wedge the emulator.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Saves the world if `--state` is set; reports but survives a failure.
    /// Writes the current state to the state file, if there is one. One
    /// writer at a time (`persist_lock`), and each writes the world as it is
    /// when its turn comes, so an older snapshot can never overwrite a newer
    /// one, whatever order the requests that changed it finish in.
    pub fn persist(&self) {
        let Some(path) = &self.config.state_file else {
            return;
        };
        let _writer = self.persist_lock.lock().unwrap_or_else(|e| e.into_inner());
        let world = self.lock().world.clone();
        if let Err(e) = persist::save(path, &world) {
            eprintln!("cloud-emulator: {e}");
        }
    }

    /// Resets the world to `seed`, forgetting nonces, the log and the RNG state.
    pub fn reset(&self, seed: Seed) {
        let mut inner = self.lock();
        let now = inner.now();
        inner.world = seed::world(seed, now);
        inner.nonces.clear();
        inner.log.clear();
        inner.faults = self.config.faults.clone();
        let (f, s, i) = rngs(self.config.random_seed);
        (inner.fault_rng, inner.sim_rng, inner.id_rng) = (f, s, i);
        drop(inner);
        self.persist();
    }

    /// One step of the online simulation.
    pub fn tick(&self) {
        let mut inner = self.lock();
        let now = inner.now();
        let Inner { world, sim_rng, .. } = &mut *inner;
        world.simulate(sim_rng, now, SIM_P_ON, SIM_P_OFF);
        drop(inner);
        self.persist();
    }
}

impl Inner {
    /// The emulator's clock, Unix seconds.
    pub fn now(&self) -> i64 {
        self.pinned_clock.unwrap_or_else(system_now)
    }

    /// A vendor-style request id (UUID shape, upper-case hex).
    pub fn request_id(&mut self) -> String {
        use rand::Rng;
        let n: u128 = self.id_rng.gen();
        let h = format!("{n:032X}");
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    /// Records a nonce; false if it was seen within its window.
    pub fn use_nonce(&mut self, key: String, now: i64, window: i64) -> bool {
        if self.nonces.len() > 50_000 {
            self.nonces.retain(|_, expires| *expires > now);
        }
        match self.nonces.get(&key) {
            Some(expires) if *expires > now => false,
            _ => {
                self.nonces.insert(key, now + window);
                true
            }
        }
    }

    pub fn record(&mut self, mut entry: LogEntry) -> LogEntry {
        self.seq += 1;
        entry.seq = self.seq;
        if self.log.len() >= LOG_CAPACITY {
            self.log.pop_front();
        }
        self.log.push_back(entry.clone());
        entry
    }
}

/// A running emulator; dropping it (or [`Running::stop`]) shuts it down.
pub struct Running {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    ticker: Option<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving, waits for in-flight requests, and saves the state.
    pub async fn stop(mut self) {
        self.shutdown_now();
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        self.shared.persist();
    }

    /// Stops serving without waiting (for tests that take the cloud away).
    pub fn shutdown_now(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(ticker) = self.ticker.take() {
            ticker.abort();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

/// Loads the state (or the seed), binds `config.listen` and serves.
pub async fn start(config: Config) -> Result<Running, String> {
    config.faults.validate()?;
    if config.aliyun_keys.is_empty() || config.tencent_keys.is_empty() {
        return Err("at least one key pair per vendor is needed".into());
    }
    let world = match &config.state_file {
        Some(path) => match persist::load(path)? {
            Some(world) => world,
            None => seed::world(config.seed, system_now()),
        },
        None => seed::world(config.seed, system_now()),
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let tick_ms = config.tick_ms;
    let shared = Arc::new(Shared::new(config, world));
    shared.persist();

    let app = protocol::router(shared.clone());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let result = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = rx.await;
        });
        if let Err(e) = result.await {
            eprintln!("cloud-emulator: server error: {e}");
        }
    });
    let ticker = (tick_ms > 0).then(|| {
        let shared = shared.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(Duration::from_millis(tick_ms));
            interval.tick().await;
            loop {
                interval.tick().await;
                shared.tick();
            }
        })
    });
    Ok(Running {
        addr,
        shared,
        shutdown: Some(tx),
        server: Some(server),
        ticker,
    })
}
