//! The browser's [`Transport`]: sends a signed request through the proxy
//! with `fetch`, with a timeout, and hands back the raw answer; the clock,
//! randomness and timers come from [`super::platform`]. Knows nothing of vendors.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::Request;
use sag_api::{ApiError, HttpRequest, Method};

use super::client::{LocalFuture, RawResponse, Transport};
use super::platform;

/// `fetch`, `Date.now`, `crypto.getRandomValues` and `setTimeout`.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserTransport;

impl Transport for BrowserTransport {
    fn exchange<'a>(
        &'a self,
        request: &'a HttpRequest,
        url: &'a str,
        timeout_ms: u32,
    ) -> LocalFuture<'a, Result<RawResponse, ApiError>> {
        Box::pin(send(request, url, timeout_ms))
    }

    fn now_unix(&self) -> i64 {
        platform::now_unix()
    }

    fn random16(&self) -> [u8; 16] {
        platform::random16()
    }

    fn jitter(&self) -> f64 {
        js_sys::Math::random()
    }

    fn sleep_ms(&self, ms: u32) -> LocalFuture<'static, ()> {
        Box::pin(platform::sleep_ms(ms))
    }
}

fn parse_http_date(text: &str) -> Option<i64> {
    let ms = js_sys::Date::parse(text);
    (!ms.is_nan()).then(|| (ms / 1000.0) as i64)
}

/// Sends `request` to `url`, giving up after `timeout_ms`.
pub async fn send(
    request: &HttpRequest,
    url: &str,
    timeout_ms: u32,
) -> Result<RawResponse, ApiError> {
    let controller = web_sys::AbortController::new().map_err(|_| ApiError::Transport {
        detail: "this browser cannot abort requests".into(),
    })?;
    let signal = controller.signal();
    let timed_out = Rc::new(Cell::new(false));
    let timer = {
        let timed_out = timed_out.clone();
        gloo_timers::callback::Timeout::new(timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let failure = |e: gloo_net::Error, timed_out: &Cell<bool>| {
        if timed_out.get() {
            ApiError::Timeout {
                after_ms: timeout_ms,
            }
        } else {
            ApiError::Transport {
                detail: e.to_string(),
            }
        }
    };
    let builder = match request.method {
        Method::Get => Request::get(url),
        Method::Post => Request::post(url),
    }
    .abort_signal(Some(&signal))
    // No cookies or HTTP authentication of this origin go to the proxy.
    .credentials(web_sys::RequestCredentials::Omit);
    // The request's own headers: the body's type and, with V3, the
    // signature. The proxy adds the signed `Host` (a browser cannot).
    let builder = request
        .headers
        .iter()
        .fold(builder, |builder, (name, value)| {
            builder.header(name, value)
        });
    let sent = match &request.body {
        Some(body) => {
            builder
                .body(body.clone())
                .map_err(|e| ApiError::Transport {
                    detail: e.to_string(),
                })?
                .send()
                .await
        }
        None => builder.send().await,
    };
    let response = sent.map_err(|e| failure(e, &timed_out))?;
    let status = response.status();
    let server_time = response
        .headers()
        .get("date")
        .and_then(|d| parse_http_date(&d));
    // The status came, so the server got the request: losing the rest of
    // the answer (the connection cut mid-body) leaves it unknown whether
    // the action ran, an ambiguous failure, not a transport failure.
    let body = response
        .text()
        .await
        .map_err(|e| match failure(e, &timed_out) {
            ApiError::Transport { detail } => cut_mid_body(status, &detail),
            other => other,
        })?;
    drop(timer);
    Ok(RawResponse {
        status,
        body,
        server_time,
    })
}

/// The answer's status arrived but its body was cut off: ambiguous (see
/// `ApiError::is_ambiguous`), so a mutation is looked up before it is called
/// failed.
pub fn cut_mid_body(status: u16, detail: &str) -> ApiError {
    ApiError::Malformed {
        status,
        detail: format!("the connection closed before the end of the answer ({detail})"),
    }
}
