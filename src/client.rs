//! The console's one way to call the clouds: sign with the session's
//! credentials and a fresh stamp, send through the configured proxy, decode.
//! Reads are retried with backoff and jitter (re-signed every time);
//! mutations are sent once, and the caller decides what to do after an
//! ambiguous failure.

use std::sync::Arc;

use sag_api::request::{prepare, Action, Product, Profile};
use sag_api::{ApiError, Credentials, ErrorKind, HttpRequest, RequestStamp};

use crate::config::RuntimeConfig;
use crate::{platform, transport};

/// A failed call, with what the console needs to explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    pub error: ApiError,
    /// Server time minus browser time, in seconds, when the server said.
    pub clock_offset: Option<i64>,
    pub attempts: u32,
}

impl CallError {
    /// A sentence saying how far off the browser clock is, for clock-skew errors.
    pub fn clock_advice(&self) -> Option<String> {
        if self.error.kind() != ErrorKind::ClockSkew {
            return None;
        }
        Some(match self.clock_offset {
            Some(offset) if offset.abs() >= 60 => format!(
                "This computer's clock is {} minutes {} the server's. Correct the clock (or enable automatic time) and try again.",
                (offset.abs() + 30) / 60,
                if offset > 0 { "behind" } else { "ahead of" }
            ),
            _ => "This computer's clock differs from the server's. Correct the clock (or enable automatic time) and try again.".into(),
        })
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

/// Told to the view before each retry of a read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryNotice {
    pub attempt: u32,
    pub max_attempts: u32,
    pub delay_ms: u32,
    pub reason: String,
}

impl RetryNotice {
    pub fn text(&self) -> String {
        format!(
            "{} Retrying in {:.0} s (attempt {} of {}).",
            self.reason,
            (f64::from(self.delay_ms) / 1000.0).ceil(),
            self.attempt + 1,
            self.max_attempts
        )
    }
}

pub const MAX_READ_ATTEMPTS: u32 = 4;

/// The delay before retry number `attempt` (1-based): exponential from 0.6 s
/// (1.5 s when throttled), capped at 10 s, plus up to 40% jitter.
pub fn backoff_ms(attempt: u32, throttled: bool, jitter: f64) -> u32 {
    let base: f64 = if throttled { 1500.0 } else { 600.0 };
    let exp = (base * 2f64.powi(attempt.saturating_sub(1) as i32)).min(10_000.0);
    (exp * (1.0 + 0.4 * jitter.clamp(0.0, 1.0))) as u32
}

/// Signs and sends actions for one set of credentials.
#[derive(Clone)]
pub struct ApiClient {
    pub config: Arc<RuntimeConfig>,
    pub credentials: Credentials,
}

impl ApiClient {
    fn profile(&self) -> Profile {
        Profile {
            tencent_host: self.config.tencent.sign_host.clone(),
            ..Profile::default()
        }
    }

    /// One attempt, freshly signed.
    pub async fn send<A: Action>(&self, action: &A) -> Result<A::Response, CallError> {
        let stamp = RequestStamp::new(platform::now_unix(), platform::random16());
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
    ) -> Result<(transport::RawResponse, i64), CallError> {
        let url = match product {
            Product::Smartag => self
                .config
                .aliyun_url(request.region.as_deref().unwrap_or_default()),
            Product::Cam => self.config.tencent.endpoint.clone(),
        };
        let local = platform::now_unix();
        transport::send(request, &url, self.config.request_timeout_ms)
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
                Err(mut e) if attempt < MAX_READ_ATTEMPTS && e.error.is_retryable() => {
                    let delay = backoff_ms(
                        attempt,
                        e.error.kind() == ErrorKind::Throttled,
                        js_sys::Math::random(),
                    );
                    e.attempts = attempt;
                    notify(Some(RetryNotice {
                        attempt,
                        max_attempts: MAX_READ_ATTEMPTS,
                        delay_ms: delay,
                        reason: e.to_string(),
                    }));
                    platform::sleep_ms(delay).await;
                    attempt += 1;
                }
                Err(mut e) => {
                    notify(None);
                    e.attempts = attempt;
                    return Err(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn clock_skew_says_how_far_off_the_clock_is() {
        let skew = ApiError::Service(Box::new(sag_api::ServiceError {
            vendor: sag_api::Vendor::Aliyun,
            code: "InvalidTimeStamp.Expired".into(),
            message: String::new(),
            request_id: None,
            http_status: 400,
            host_id: None,
            our_string_to_sign: None,
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
            reason: "Throttled.".into(),
        };
        assert_eq!(
            notice.text(),
            "Throttled. Retrying in 2 s (attempt 2 of 4)."
        );
    }
}
