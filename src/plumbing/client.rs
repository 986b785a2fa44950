//! The console's one way to call the clouds: sign with one vendor's
//! credentials and a fresh stamp, send through the configured proxy, decode.
//!
//! The two failure policies live here, once, for every service:
//! - a **read** is retried with backoff and jitter while its error is
//!   retryable, re-signed every time ([`ApiClient::read`]);
//! - a **mutation** is sent once; after an ambiguous failure (timeout, cut-off
//!   answer, 5xx, Tencent's `InternalError`) the caller's lookup decides
//!   whether it took effect ([`ApiClient::mutate`]);
//! - a **patient mutation** (an import's create, sent unattended) is sent
//!   again only once it is known not to have happened: after a passing
//!   refusal (throttled, 5xx) or a lookup that found nothing, with the
//!   read's backoff; a lookup that failed is looked at again after
//!   [`RELOOK_DELAY_MS`] before anything is sent ([`ApiClient::mutate_patiently`]).
//!
//! Both go through a [`Transport`], so the policies are tested natively
//! against a scripted fake (see the tests below) and run in the browser
//! against `fetch` ([`super::transport::BrowserTransport`]).

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use sag_api::request::{prepare, Profile};
use sag_api::{Action, ApiError, Credentials, ErrorKind, HttpRequest, Product, RequestStamp};

use crate::config::RuntimeConfig;

/// A boxed future that need not be `Send` (browser futures are not).
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Status, body and the server's `Date` (Unix seconds), if sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    pub body: String,
    pub server_time: Option<i64>,
}

/// What the client needs from its surroundings: the network, a clock,
/// randomness and a way to wait. Knows nothing of vendors.
pub trait Transport {
    /// Sends `request` to `url`, giving up after `timeout_ms`.
    fn exchange<'a>(
        &'a self,
        request: &'a HttpRequest,
        url: &'a str,
        timeout_ms: u32,
    ) -> LocalFuture<'a, Result<RawResponse, ApiError>>;
    /// Unix seconds.
    fn now_unix(&self) -> i64;
    /// 16 random bytes for a nonce.
    fn random16(&self) -> [u8; 16];
    /// A number in `0..1` for backoff jitter.
    fn jitter(&self) -> f64;
    /// Waits `ms` milliseconds.
    fn sleep_ms(&self, ms: u32) -> LocalFuture<'static, ()>;
}

/// How long a mutation that timed out waits before it looks up whether it
/// happened: a request that outlived the browser's patience may still be
/// running on the server.
pub const LOOKUP_DELAY_AFTER_TIMEOUT_MS: u32 = 3_000;

/// How far this computer's clock is from the server's, in whole minutes,
/// when a request was refused for its timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockSkew {
    BehindBy(i64),
    AheadBy(i64),
    /// Off by less than a minute, or by an unknown amount.
    Differs,
}

/// A failed call, with what the console needs to explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    pub error: ApiError,
    /// Server time minus browser time, in seconds, when the server said.
    pub clock_offset: Option<i64>,
    pub attempts: u32,
}

impl CallError {
    /// For a read asked for without keys (the connection guard normally
    /// prevents it). A resource must always finish: Leptos runs a resource's
    /// loads one after the other, so a load that never ends blocks the next.
    pub fn not_connected(vendor: sag_api::Vendor) -> CallError {
        CallError {
            error: ApiError::Transport {
                detail: format!("no {} keys are entered in Settings", vendor.display_name()),
            },
            clock_offset: None,
            attempts: 0,
        }
    }

    /// For a clock-skew failure, how far off this computer's clock is.
    pub fn clock_skew(&self) -> Option<ClockSkew> {
        if self.error.kind() != ErrorKind::ClockSkew {
            return None;
        }
        Some(match self.clock_offset {
            Some(offset) if offset.abs() >= 60 => {
                let minutes = (offset.abs() + 30) / 60;
                if offset > 0 {
                    ClockSkew::BehindBy(minutes)
                } else {
                    ClockSkew::AheadBy(minutes)
                }
            }
            _ => ClockSkew::Differs,
        })
    }

    /// A sentence saying how far off the browser clock is, for clock-skew
    /// errors (English; `text::call_error` words it per language).
    pub fn clock_advice(&self) -> Option<String> {
        let fix = "Correct the clock (or enable automatic time) and try again.";
        Some(match self.clock_skew()? {
            ClockSkew::BehindBy(m) => {
                format!("This computer's clock is {m} minutes behind the server's. {fix}")
            }
            ClockSkew::AheadBy(m) => {
                format!("This computer's clock is {m} minutes ahead of the server's. {fix}")
            }
            ClockSkew::Differs => format!("This computer's clock differs from the server's. {fix}"),
        })
    }

    /// `"<words> (<code>)"`, for a row or a summary line.
    pub fn with_code(&self) -> String {
        match self.error.code() {
            Some(code) => format!("{self} ({code})"),
            None => self.to_string(),
        }
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.clock_advice() {
            Some(advice) => write!(f, "{advice}"),
            None => write!(f, "{}", self.error),
        }
    }
}

/// Told to the view before each retry of a read (worded by `text::retry`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryNotice {
    pub attempt: u32,
    pub max_attempts: u32,
    pub delay_ms: u32,
    /// The failure being retried.
    pub error: CallError,
}

pub const MAX_READ_ATTEMPTS: u32 = 4;

/// The delay before retry number `attempt` (1-based): exponential from 0.6 s
/// (1.5 s when throttled), capped at 10 s, plus up to 40% jitter.
pub fn backoff_ms(attempt: u32, throttled: bool, jitter: f64) -> u32 {
    let base: f64 = if throttled { 1500.0 } else { 600.0 };
    let exp = (base * 2f64.powi(attempt.saturating_sub(1) as i32)).min(10_000.0);
    (exp * (1.0 + 0.4 * jitter.clamp(0.0, 1.0))) as u32
}

/// Times a patient mutation is tried before its last outcome stands.
pub const MAX_WRITE_ATTEMPTS: u32 = 6;

/// How long a patient mutation whose lookup failed waits before it looks
/// again (nothing is sent again before a lookup answers).
pub const RELOOK_DELAY_MS: u32 = 2_000;

/// How a mutation ended. It is sent once; only an ambiguous failure leads to
/// a lookup, and the lookup's answer decides between the variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mutation<T> {
    /// The service answered that it was done.
    Done(T),
    /// The answer was lost (`error`), but a lookup shows the change is in place.
    Confirmed(CallError),
    /// The service refused; or the answer was lost and a lookup shows nothing
    /// changed (`checked`), so sending again is safe.
    Failed { error: CallError, checked: bool },
    /// The answer was lost and the lookup failed too: nobody can tell yet
    /// whether it happened. Look again before sending again.
    Unknown { error: CallError, lookup: CallError },
}

impl<T> Mutation<T> {
    /// Whether the change is in place (answered or confirmed).
    pub fn succeeded(&self) -> bool {
        matches!(self, Mutation::Done(_) | Mutation::Confirmed(_))
    }

    /// The error to show when it did not (certainly) succeed.
    pub fn error(&self) -> Option<&CallError> {
        match self {
            Mutation::Done(_) | Mutation::Confirmed(_) => None,
            Mutation::Failed { error, .. } | Mutation::Unknown { error, .. } => Some(error),
        }
    }

    /// Drops the answer's value.
    pub fn discard(self) -> Mutation<()> {
        match self {
            Mutation::Done(_) => Mutation::Done(()),
            Mutation::Confirmed(e) => Mutation::Confirmed(e),
            Mutation::Failed { error, checked } => Mutation::Failed { error, checked },
            Mutation::Unknown { error, lookup } => Mutation::Unknown { error, lookup },
        }
    }
}

/// What a page hears when a change's answer was lost and its lookup begins.
type LookupHook = Rc<dyn Fn(&CallError)>;

/// Signs and sends actions for one vendor's credentials.
#[derive(Clone)]
pub struct ApiClient {
    config: Arc<RuntimeConfig>,
    credentials: Credentials,
    transport: Rc<dyn Transport>,
    /// Told when a mutation's answer was lost and its lookup begins.
    on_lookup: Option<LookupHook>,
    /// Whether the keys are still held; once not (Forget), nothing more is
    /// signed or sent with them, whoever holds this client.
    held: Option<Rc<dyn Fn() -> bool>>,
}

impl ApiClient {
    pub fn new(
        config: Arc<RuntimeConfig>,
        credentials: Credentials,
        transport: Rc<dyn Transport>,
    ) -> ApiClient {
        ApiClient {
            config,
            credentials,
            transport,
            on_lookup: None,
            held: None,
        }
    }

    /// The same client, sending only while `held` says its keys are still
    /// held: a run that outlives a Forget (a bulk delete, an import, a
    /// refresh) sends nothing more with the forgotten keys.
    pub fn while_held(mut self, held: impl Fn() -> bool + 'static) -> ApiClient {
        self.held = Some(Rc::new(held));
        self
    }

    /// The same client, telling `hear` when a mutation's answer was lost and
    /// the console starts checking whether it happened (after a timeout that
    /// takes a few seconds: the page says so instead of looking stuck).
    pub fn on_lookup(mut self, hear: impl Fn(&CallError) + 'static) -> ApiClient {
        self.on_lookup = Some(Rc::new(hear));
        self
    }

    pub fn config(&self) -> &RuntimeConfig {
        &self.config
    }

    fn profile(&self) -> Profile {
        Profile {
            aliyun_scheme: self.config.aliyun.signature,
            tencent_scheme: self.config.tencent.signature,
            aliyun_host: self.config.aliyun.sign_host.clone(),
            tencent_host: self.config.tencent.sign_host.clone(),
            ..Profile::default()
        }
    }

    /// One attempt, freshly signed.
    pub async fn send<A: Action>(&self, action: &A) -> Result<A::Response, CallError> {
        let stamp = RequestStamp::new(self.transport.now_unix(), self.transport.random16());
        let request = prepare(action, &self.credentials, &stamp, &self.profile());
        let (raw, local) = self.exchange(&request, A::PRODUCT).await?;
        sag_api::decode::<A>(&request, raw.status, &raw.body).map_err(|error| CallError {
            error,
            clock_offset: raw.server_time.map(|s| s - local),
            attempts: 1,
        })
    }

    /// The part of a send that does not depend on the action's types (kept
    /// out of the generic code so each action does not carry its own copy).
    async fn exchange(
        &self,
        request: &HttpRequest,
        product: Product,
    ) -> Result<(RawResponse, i64), CallError> {
        if self.held.as_ref().is_some_and(|held| !held()) {
            return Err(CallError {
                error: ApiError::Transport {
                    detail: "the keys were forgotten in Settings; nothing more is sent with them"
                        .into(),
                },
                clock_offset: None,
                attempts: 1,
            });
        }
        let region = request.region.as_deref().unwrap_or_default();
        let url = match product {
            // Pages refuse such a region before they get here; this keeps
            // anything else from ever sending signed requests to a path
            // the region would make.
            Product::Smartag => self.config.aliyun_url(region).ok_or_else(|| CallError {
                error: ApiError::Transport {
                    detail: format!("the region {region:?} is not one the console may use"),
                },
                clock_offset: None,
                attempts: 1,
            })?,
            Product::Cam => self.config.tencent.endpoint.clone(),
        };
        let local = self.transport.now_unix();
        self.transport
            .exchange(request, &url, self.config.request_timeout_ms)
            .await
            .map(|raw| (raw, local))
            .map_err(|error| CallError {
                error,
                clock_offset: None,
                attempts: 1,
            })
    }

    /// A read: retried with backoff and jitter while the error is retryable,
    /// re-signed each time. `notify` hears about each retry, then `None`.
    pub async fn read<A: Action>(
        &self,
        action: &A,
        notify: &dyn Fn(Option<RetryNotice>),
    ) -> Result<A::Response, CallError> {
        let mut attempt = 1;
        loop {
            match self.send(action).await {
                Ok(value) => {
                    notify(None);
                    return Ok(value);
                }
                Err(e) => match self.after_failed_read(e, attempt, notify).await {
                    Some(e) => return Err(e),
                    None => attempt += 1,
                },
            }
        }
    }

    /// Decides whether a failed read is tried again (after waiting; `None`)
    /// or given up (`Some(error)`). Not generic, so it exists once.
    async fn after_failed_read(
        &self,
        mut e: CallError,
        attempt: u32,
        notify: &dyn Fn(Option<RetryNotice>),
    ) -> Option<CallError> {
        e.attempts = attempt;
        if attempt >= MAX_READ_ATTEMPTS || !e.error.is_retryable() {
            notify(None);
            return Some(e);
        }
        let delay = backoff_ms(
            attempt,
            e.error.kind() == ErrorKind::Throttled,
            self.transport.jitter(),
        );
        notify(Some(RetryNotice {
            attempt,
            max_attempts: MAX_READ_ATTEMPTS,
            delay_ms: delay,
            error: e.clone(),
        }));
        self.transport.sleep_ms(delay).await;
        None
    }

    /// A mutation: sent once. After an ambiguous failure `in_place` looks
    /// (with reads, which retry) whether the change happened anyway, so that
    /// the console never sends it twice without knowing.
    pub async fn mutate<A: Action>(
        &self,
        action: &A,
        in_place: impl AsyncFnOnce() -> Result<bool, CallError>,
    ) -> Mutation<A::Response> {
        match self.send(action).await {
            Ok(value) => Mutation::Done(value),
            Err(error) if error.error.is_ambiguous() => {
                if let Some(hear) = &self.on_lookup {
                    hear(&error);
                }
                // After a timeout the request may still be running on the
                // server: give it time to finish, so the lookup does not
                // race it and report "not done" for a change still landing.
                if matches!(error.error, ApiError::Timeout { .. }) {
                    self.transport.sleep_ms(LOOKUP_DELAY_AFTER_TIMEOUT_MS).await;
                }
                match in_place().await {
                    Ok(true) => Mutation::Confirmed(error),
                    Ok(false) => Mutation::Failed {
                        error,
                        checked: true,
                    },
                    Err(lookup) => Mutation::Unknown { error, lookup },
                }
            }
            Err(error) => Mutation::Failed {
                error,
                checked: false,
            },
        }
    }
}

impl ApiClient {
    /// Waits `ms` milliseconds on the transport's clock (a fake one in tests).
    pub async fn wait_ms(&self, ms: u32) {
        self.transport.sleep_ms(ms).await;
    }

    /// A mutation sent unattended (an import's rows), at most
    /// [`MAX_WRITE_ATTEMPTS`] times, each after `pace_ms` (the run's pace).
    /// `once` is one [`ApiClient::mutate`]; `in_place` its lookup.
    ///
    /// It is sent again only when it is known not to have happened: a
    /// refusal that passes (throttled, 5xx) or a lookup that found nothing,
    /// after the read's backoff. When the lookup itself failed, it waits
    /// [`RELOOK_DELAY_MS`] and looks again before anything is sent. `None`:
    /// `go_on` said stop before a send (nothing more was sent).
    pub async fn mutate_patiently<T>(
        &self,
        pace_ms: u32,
        go_on: &dyn Fn() -> bool,
        once: impl AsyncFn() -> Mutation<T>,
        in_place: impl AsyncFn() -> Result<bool, CallError>,
    ) -> Option<Mutation<T>> {
        let mut attempt = 1;
        loop {
            self.wait_ms(pace_ms).await;
            if !go_on() {
                return None;
            }
            let outcome = match once().await {
                Mutation::Unknown { error, .. } => {
                    self.wait_ms(RELOOK_DELAY_MS).await;
                    match in_place().await {
                        Ok(true) => return Some(Mutation::Confirmed(error)),
                        Ok(false) => Mutation::Failed {
                            error,
                            checked: true,
                        },
                        Err(lookup) => return Some(Mutation::Unknown { error, lookup }),
                    }
                }
                outcome => outcome,
            };
            let Mutation::Failed { error, checked } = &outcome else {
                return Some(outcome);
            };
            if attempt >= MAX_WRITE_ATTEMPTS || !(*checked || error.error.is_retryable()) {
                return Some(outcome);
            }
            let throttled = error.error.kind() == ErrorKind::Throttled;
            self.wait_ms(backoff_ms(attempt, throttled, self.transport.jitter()))
                .await;
            attempt += 1;
        }
    }
}

/// A scripted transport for native tests of the policies and the services:
/// answers are handed out in order, and every request is kept.
#[cfg(test)]
pub mod fake {
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;
    use std::rc::Rc;

    use sag_api::{ApiError, HttpRequest};

    use super::{LocalFuture, RawResponse, Transport};

    #[derive(Default)]
    pub struct FakeTransport {
        answers: RefCell<VecDeque<Result<RawResponse, ApiError>>>,
        pub sent: RefCell<Vec<HttpRequest>>,
        pub slept_ms: RefCell<Vec<u32>>,
        counter: Cell<u8>,
    }

    impl FakeTransport {
        pub fn new() -> Rc<FakeTransport> {
            Rc::new(FakeTransport::default())
        }

        /// The next answer: HTTP 200 with this JSON body.
        pub fn ok(&self, body: &str) -> &Self {
            self.answer(200, body)
        }

        pub fn answer(&self, status: u16, body: &str) -> &Self {
            self.answers.borrow_mut().push_back(Ok(RawResponse {
                status,
                body: body.to_owned(),
                server_time: None,
            }));
            self
        }

        pub fn fail(&self, error: ApiError) -> &Self {
            self.answers.borrow_mut().push_back(Err(error));
            self
        }

        /// The bodies sent, in order.
        pub fn bodies(&self) -> Vec<String> {
            self.sent
                .borrow()
                .iter()
                .map(|r| r.body.clone().unwrap_or_default())
                .collect()
        }

        /// The actions sent, in order.
        pub fn actions(&self) -> Vec<&'static str> {
            self.sent.borrow().iter().map(|r| r.action).collect()
        }

        pub fn left(&self) -> usize {
            self.answers.borrow().len()
        }
    }

    impl Transport for FakeTransport {
        fn exchange<'a>(
            &'a self,
            request: &'a HttpRequest,
            _url: &'a str,
            _timeout_ms: u32,
        ) -> LocalFuture<'a, Result<RawResponse, ApiError>> {
            self.sent.borrow_mut().push(request.clone());
            let next = self
                .answers
                .borrow_mut()
                .pop_front()
                .unwrap_or_else(|| panic!("no scripted answer for {}", request.action));
            Box::pin(async move { next })
        }

        fn now_unix(&self) -> i64 {
            1_700_000_000
        }

        fn random16(&self) -> [u8; 16] {
            // A different nonce for every send.
            self.counter.set(self.counter.get().wrapping_add(1));
            [self.counter.get(); 16]
        }

        fn jitter(&self) -> f64 {
            0.0
        }

        fn sleep_ms(&self, ms: u32) -> LocalFuture<'static, ()> {
            self.slept_ms.borrow_mut().push(ms);
            Box::pin(async {})
        }
    }

    /// Runs a future that never waits on anything real (the fake's are all
    /// ready), without an executor.
    pub fn run<F: std::future::Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match future.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(value) => value,
            std::task::Poll::Pending => panic!("a fake-transport future waited"),
        }
    }

    /// A client for the demo keys of `vendor` over `transport`.
    pub fn client(transport: &Rc<FakeTransport>, tencent: bool) -> super::ApiClient {
        let config = crate::config::RuntimeConfig::parse(include_str!("../../config.json"))
            .expect("the shipped config parses");
        let credentials = if tencent {
            sag_api::Credentials::new("AKIDtest", "tencent-secret")
        } else {
            sag_api::Credentials::new("LTAItest", "aliyun-secret")
        };
        super::ApiClient::new(std::sync::Arc::new(config), credentials, transport.clone())
    }

    pub const THROTTLED: &str = r#"{"RequestId":"T1","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#;
    pub const UNAVAILABLE: &str = r#"{"RequestId":"U1","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}"#;
    pub const CUT_OFF: &str = r#"{"RequestId":"C1","TotalCou"#;
}

#[cfg(test)]
mod tests {
    use super::fake::*;
    use super::*;
    use sag_api::smartag::{DeleteClientUser, DescribeClientUsers};

    const PAGE: &str = r#"{"RequestId":"R","TotalCount":1,"PageNumber":1,"PageSize":100,"Users":{"User":[{"UserName":"alice01","UserMail":"a@example.com","Bandwidth":2000,"State":0}]}}"#;

    fn list() -> DescribeClientUsers {
        DescribeClientUsers::page("cn-shanghai", "sag-1", 1, 100)
    }

    #[test]
    fn backoff_grows_caps_and_jitters() {
        assert_eq!(backoff_ms(1, false, 0.0), 600);
        assert_eq!(backoff_ms(2, false, 0.0), 1200);
        assert_eq!(backoff_ms(3, true, 0.0), 6000);
        assert_eq!(backoff_ms(9, true, 0.0), 10_000);
        assert_eq!(backoff_ms(1, false, 1.0), 840);
        assert!(backoff_ms(2, false, 0.5) > backoff_ms(2, false, 0.0));
    }

    #[test]
    fn a_throttled_read_is_retried_re_signed_until_it_passes() {
        let t = FakeTransport::new();
        t.answer(400, THROTTLED).answer(400, THROTTLED).ok(PAGE);
        let notices = std::cell::RefCell::new(Vec::new());
        let page = run(client(&t, false).read(&list(), &|n| notices.borrow_mut().push(n)))
            .expect("the third attempt passes");
        assert_eq!(page.users[0].user_name, "alice01");
        assert_eq!(t.sent.borrow().len(), 3);
        assert_eq!(
            *t.slept_ms.borrow(),
            [1500, 3000],
            "throttling backs off from 1.5 s"
        );
        let sent = t.sent.borrow();
        let nonce = |i: usize| sent[i].header("x-acs-signature-nonce").map(str::to_owned);
        assert!(nonce(0).is_some());
        assert_ne!(nonce(0), nonce(1), "each attempt has its own nonce");
        assert_ne!(
            sent[0].header("authorization"),
            sent[1].header("authorization"),
            "and its own signature"
        );
        drop(sent);
        let notices = notices.into_inner();
        assert_eq!(notices.len(), 3, "two retries announced, then cleared");
        assert!(
            crate::text::retry(crate::i18n::Locale::en, notices[0].as_ref().unwrap())
                .contains("attempt 2 of 4")
        );
        assert_eq!(notices[2], None);
    }

    #[test]
    fn a_read_gives_up_after_the_attempt_limit_with_the_last_error() {
        let t = FakeTransport::new();
        for _ in 0..MAX_READ_ATTEMPTS {
            t.answer(503, UNAVAILABLE);
        }
        let e = run(client(&t, false).read(&list(), &|_| {})).unwrap_err();
        assert_eq!(e.error.code(), Some("ServiceUnavailable"));
        assert_eq!(e.attempts, MAX_READ_ATTEMPTS);
        assert_eq!(t.sent.borrow().len(), MAX_READ_ATTEMPTS as usize);
        assert_eq!(*t.slept_ms.borrow(), [600, 1200, 2400]);
    }

    #[test]
    fn a_refused_read_is_not_retried() {
        let t = FakeTransport::new();
        t.answer(
            400,
            r#"{"RequestId":"R","Code":"SignatureDoesNotMatch","Message":"no"}"#,
        );
        let e = run(client(&t, false).read(&list(), &|_| {})).unwrap_err();
        assert_eq!(e.error.kind(), ErrorKind::SignatureMismatch);
        assert_eq!((e.attempts, t.sent.borrow().len()), (1, 1));
    }

    fn delete() -> DeleteClientUser {
        DeleteClientUser::new("cn-shanghai", "sag-1", "alice01")
    }

    #[test]
    fn a_mutation_is_sent_once_and_a_refusal_is_not_looked_up() {
        let t = FakeTransport::new();
        t.answer(
            400,
            r#"{"RequestId":"R","Code":"ClientUser.UserInUsing","Message":"in use"}"#,
        );
        let c = client(&t, false);
        let looked = std::cell::Cell::new(false);
        let outcome = run(c.mutate(&delete(), async || {
            looked.set(true);
            Ok(true)
        }));
        assert!(
            matches!(outcome, Mutation::Failed { checked: false, ref error } if error.error.code() == Some("ClientUser.UserInUsing"))
        );
        assert!(!looked.get(), "a clear refusal needs no lookup");
        assert_eq!(t.sent.borrow().len(), 1);
    }

    #[test]
    fn the_page_hears_when_a_lookup_begins_and_only_then() {
        let heard = Rc::new(std::cell::RefCell::new(Vec::new()));
        let hook = {
            let heard = heard.clone();
            move |e: &CallError| heard.borrow_mut().push(e.error.kind())
        };
        // An answer cut off: the page hears it before the lookup runs.
        let t = FakeTransport::new();
        t.ok(CUT_OFF);
        let c = client(&t, false).on_lookup(hook.clone());
        let order = std::cell::RefCell::new(Vec::new());
        run(c.mutate(&delete(), async || {
            order.borrow_mut().push(heard.borrow().len());
            Ok(true)
        }));
        assert_eq!(*heard.borrow(), [ErrorKind::Malformed]);
        assert_eq!(*order.borrow(), [1], "heard before the lookup");

        // Answered, or clearly refused: nothing to check, nothing heard.
        heard.borrow_mut().clear();
        let t = FakeTransport::new();
        t.ok(r#"{"RequestId":"R"}"#).answer(
            400,
            r#"{"RequestId":"R","Code":"Throttling.User","Message":"slow down"}"#,
        );
        let c = client(&t, false).on_lookup(hook);
        run(c.mutate(&delete(), async || Ok(true)));
        run(c.mutate(&delete(), async || Ok(true)));
        assert!(heard.borrow().is_empty());
    }

    #[test]
    fn nothing_is_sent_once_the_keys_are_forgotten() {
        let t = FakeTransport::new();
        t.ok(r#"{"RequestId":"R"}"#).ok(r#"{"RequestId":"R"}"#);
        let held = Rc::new(std::cell::Cell::new(true));
        let c = client(&t, false).while_held({
            let held = held.clone();
            move || held.get()
        });
        assert!(run(c.mutate(&delete(), async || Ok(true))).succeeded());
        held.set(false);
        let after = run(c.mutate(&delete(), async || Ok(true)));
        assert!(!after.succeeded());
        assert!(format!("{:?}", after.error().unwrap().error).contains("forgotten"));
        assert_eq!(t.bodies().len(), 1, "the second delete was never sent");
    }

    #[test]
    fn a_cut_off_answer_then_a_lookup_decides() {
        // Found: the change happened.
        let t = FakeTransport::new();
        t.ok(CUT_OFF);
        let c = client(&t, false);
        let outcome = run(c.mutate(&delete(), async || Ok(true)));
        assert!(
            matches!(outcome, Mutation::Confirmed(ref e) if e.error.kind() == ErrorKind::Malformed)
        );
        assert!(outcome.succeeded());
        assert_eq!(t.actions(), ["DeleteSmartAccessGatewayClientUser"]);

        // Not found: nothing changed, and the admin may send again.
        let t = FakeTransport::new();
        t.ok(CUT_OFF);
        let outcome = run(client(&t, false).mutate(&delete(), async || Ok(false)));
        assert!(matches!(outcome, Mutation::Failed { checked: true, .. }));

        // The lookup fails too: nobody can tell.
        let t = FakeTransport::new();
        t.fail(ApiError::Timeout { after_ms: 15_000 })
            .answer(503, UNAVAILABLE)
            .answer(503, UNAVAILABLE)
            .answer(503, UNAVAILABLE)
            .answer(503, UNAVAILABLE);
        let c = client(&t, false);
        let outcome = run(c.mutate(&delete(), async || {
            c.read(&list(), &|_| {}).await.map(|p| p.users.is_empty())
        }));
        match &outcome {
            Mutation::Unknown { error, lookup } => {
                assert_eq!(error.error.kind(), ErrorKind::Timeout);
                assert_eq!(
                    lookup.attempts, MAX_READ_ATTEMPTS,
                    "the lookup is a read: it retries"
                );
            }
            other => panic!("expected Unknown, got {other:?}"),
        }
        assert!(
            crate::text::mutation_reason(crate::i18n::Locale::en, &outcome)
                .unwrap()
                .contains("could not be checked")
        );
        assert_eq!(
            t.actions()
                .iter()
                .filter(|a| a.starts_with("Delete"))
                .count(),
            1,
            "the delete itself is never repeated"
        );
    }

    #[test]
    fn requests_are_signed_for_the_hosts_config_json_names() {
        // A proxy that forwards with another Host needs the console to sign
        // that host (config.json's sign_host), for both vendors.
        let mut config = crate::config::RuntimeConfig::parse(include_str!("../../config.json"))
            .expect("the shipped config parses");
        config.aliyun.sign_host = "smartag.{region}.example.test".into();
        config.tencent.sign_host = "cam.example.test".into();
        let config = std::sync::Arc::new(config);
        let t = FakeTransport::new();
        t.ok(r#"{"RequestId":"R1"}"#);
        let c = ApiClient::new(
            config.clone(),
            sag_api::Credentials::new("LTAItest", "aliyun-secret"),
            t.clone(),
        );
        let _ = run(c.send(&delete()));
        assert_eq!(
            t.sent.borrow()[0].signed_host.as_deref(),
            Some("smartag.cn-shanghai.example.test")
        );
        let t = FakeTransport::new();
        t.ok(r#"{"Response":{"RequestId":"R2"}}"#);
        let c = ApiClient::new(
            config,
            sag_api::Credentials::new("AKIDtest", "tencent-secret"),
            t.clone(),
        );
        let _ = run(c.send(&sag_api::cam::GetUser {
            name: "bot01".into(),
        }));
        assert_eq!(
            t.sent.borrow()[0].signed_host.as_deref(),
            Some("cam.example.test")
        );
    }

    #[test]
    fn clock_skew_says_how_far_off_the_clock_is() {
        let skew = ApiError::Service(Box::new(sag_api::ServiceError {
            vendor: sag_api::Vendor::Aliyun,
            code: "InvalidTimeStamp.Expired".into(),
            message: String::new(),
            request_id: None,
            http_status: 400,
            host_id: None,
            our_string_to_sign: None,
            our_canonical_request: None,
        }));
        let e = CallError {
            error: skew.clone(),
            clock_offset: Some(-17 * 60 - 5),
            attempts: 1,
        };
        assert_eq!(e.clock_advice().unwrap(), "This computer's clock is 17 minutes ahead of the server's. Correct the clock (or enable automatic time) and try again.");
        let behind = CallError {
            error: skew,
            clock_offset: Some(20 * 60),
            attempts: 1,
        };
        assert!(behind.to_string().contains("20 minutes behind"));
        let other = CallError {
            error: ApiError::Timeout { after_ms: 15000 },
            clock_offset: Some(3600),
            attempts: 1,
        };
        assert_eq!(other.clock_advice(), None);
        assert_eq!(other.to_string(), "No answer within 15 s.");
        let notice = RetryNotice {
            attempt: 1,
            max_attempts: 4,
            delay_ms: 1400,
            error: other.clone(),
        };
        assert_eq!(
            crate::text::retry(crate::i18n::Locale::en, &notice),
            "No answer within 15 s. Retrying in 2 s (attempt 2 of 4)."
        );
    }
}
