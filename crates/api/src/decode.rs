//! Response bytes to a typed result or an [`ApiError`], for both vendors'
//! success and error shapes, and for whatever a proxy may answer instead.

use crate::json::{self, Value};

use crate::action::Action;
use crate::error::{redact_string_to_sign, ApiError, ServiceError, Vendor};
use crate::request::HttpRequest;

/// Decodes the answer to `request` (an `A`), given its HTTP status and body.
pub fn decode<A: Action>(
    request: &HttpRequest,
    status: u16,
    body: &str,
) -> Result<A::Response, ApiError> {
    let payload = payload(request, status, body)?;
    // The lenient decoders name the field and the list element that cannot
    // be decoded ("Users: [1]: IsStaticIp: expected ..."), so a support
    // ticket says which one.
    <A::Response as crate::lenient::FromJson>::from_json(&payload).map_err(|e| {
        ApiError::Malformed {
            status,
            detail: format!("unexpected {} response: {e}", request.action),
        }
    })
}

/// The answer's payload, or the error it carries: everything of a decode
/// but the action's own fields. Not generic, and never inlined, so each
/// action does not carry its own copy.
#[inline(never)]
fn payload(request: &HttpRequest, status: u16, body: &str) -> Result<Value, ApiError> {
    let ok = (200..300).contains(&status);
    let trimmed = body.trim_start();
    if trimmed.starts_with('<') {
        return Err(ApiError::Proxy {
            status,
            title: html_title(trimmed),
        });
    }
    if trimmed.is_empty() {
        return Err(if ok {
            ApiError::Malformed {
                status,
                detail: "the body is empty".into(),
            }
        } else {
            ApiError::Proxy {
                status,
                title: None,
            }
        });
    }
    let value: Value = json::parse(body).map_err(|e| ApiError::Malformed {
        status,
        detail: if e.is_eof() {
            "the JSON ends early (truncated)".into()
        } else {
            format!("not JSON ({e})")
        },
    })?;
    let payload = match request.vendor {
        Vendor::Aliyun => {
            if let Some(error) = aliyun_error(&value, status, request) {
                return Err(error);
            }
            if !ok {
                return Err(ApiError::Proxy {
                    status,
                    title: None,
                });
            }
            value
        }
        Vendor::Tencent => {
            let Some(response) = value.get("Response") else {
                return Err(if ok {
                    ApiError::Malformed {
                        status,
                        detail: "no \"Response\" object".into(),
                    }
                } else {
                    ApiError::Proxy {
                        status,
                        title: None,
                    }
                });
            };
            if let Some(error) = tencent_error(response, status) {
                return Err(error);
            }
            if !ok {
                return Err(ApiError::Proxy {
                    status,
                    title: None,
                });
            }
            response.clone()
        }
    };
    Ok(payload)
}

fn text(value: &Value, keys: &[&str]) -> Option<String> {
    keys.iter()
        .filter_map(|k| value.get(k))
        .find_map(|v| match v {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
}

/// Alibaba: `{"RequestId","HostId","Code","Message","Recommend"}` (the Tea SDK
/// also reads lower-case keys).
fn aliyun_error(value: &Value, status: u16, request: &HttpRequest) -> Option<ApiError> {
    let code = text(value, &["Code", "code"])?;
    let message = text(value, &["Message", "message"]);
    let ok = (200..300).contains(&status);
    // A success body never has Code + Message; some APIs put Code "200" in success.
    if ok && (message.is_none() || code == "200") {
        return None;
    }
    Some(ApiError::Service(Box::new(ServiceError {
        vendor: Vendor::Aliyun,
        code,
        message: redact_string_to_sign(&message.unwrap_or_default()),
        request_id: text(value, &["RequestId", "requestId"]),
        http_status: status,
        host_id: text(value, &["HostId"]),
        our_string_to_sign: Some(redact_string_to_sign(&request.string_to_sign)),
        our_canonical_request: request
            .canonical_request
            .as_deref()
            .map(redact_string_to_sign),
    })))
}

/// Tencent: `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, usually with HTTP 200.
fn tencent_error(response: &Value, status: u16) -> Option<ApiError> {
    let error = response.get("Error")?;
    Some(ApiError::Service(Box::new(ServiceError {
        vendor: Vendor::Tencent,
        code: text(error, &["Code"]).unwrap_or_else(|| "UnknownError".into()),
        message: text(error, &["Message"]).unwrap_or_default(),
        request_id: text(response, &["RequestId"]),
        http_status: status,
        host_id: None,
        // Tencent never echoes its string to sign, so ours (which holds the
        // raw `Token`) has nothing to be compared with: keep it out.
        our_string_to_sign: None,
        our_canonical_request: None,
    })))
}

/// The `<title>` of an HTML page, whitespace collapsed, at most 120 characters.
fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = lower[start..].find('>')? + start + 1;
    let close = lower[open_end..].find("</title")? + open_end;
    let title: String = html[open_end..close]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then(|| title.chars().take(120).collect())
}
