//! Control endpoints under `/_emulator/` for deterministic tests: reset to a
//! seed, set or clear faults, put clients online or offline, pin the clock,
//! step the simulation, add instances, read the request log and the state.
//! Off with `--no-control`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::state::Instance;
use crate::{Faults, Seed, Shared};

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn parse<T: for<'de> Deserialize<'de> + Default>(body: &Bytes) -> Result<T, Box<Response>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        Box::new(error(
            StatusCode::BAD_REQUEST,
            format!("bad JSON body: {e}"),
        ))
    })
}

#[derive(Deserialize, Default)]
struct ResetBody {
    seed: Option<Seed>,
}

#[derive(Deserialize, Default)]
struct ClientBody {
    smart_ag_id: String,
    user_name: String,
    client_ip: Option<String>,
    online_time: Option<i64>,
    used: Option<bool>,
}

#[derive(Deserialize, Default)]
struct ClockBody {
    unix_seconds: Option<i64>,
}

#[derive(Deserialize, Default)]
struct TickBody {
    count: Option<u32>,
}

#[derive(Deserialize, Default)]
struct InstanceBody {
    id: String,
    region: String,
    name: Option<String>,
    cidr: String,
    user_quota: Option<u32>,
}

pub async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    Path(rest): Path<String>,
    body: Bytes,
) -> Response {
    if !shared.config.control {
        return error(
            StatusCode::NOT_FOUND,
            "control endpoints are disabled (--no-control)",
        );
    }
    match (method.as_str(), rest.as_str()) {
        ("GET", "health") => Json(json!({ "ok": true })).into_response(),
        ("POST", "reset") => match parse::<ResetBody>(&body) {
            Ok(b) => {
                let seed = b.seed.unwrap_or(shared.config.seed);
                shared.reset(seed);
                Json(json!({ "reset": seed })).into_response()
            }
            Err(r) => *r,
        },
        ("GET", "faults") => Json(shared.lock().faults.clone()).into_response(),
        ("PUT" | "POST", "faults") => match parse::<Faults>(&body) {
            Ok(f) => match f.validate() {
                Ok(()) => {
                    shared.lock().faults = f.clone();
                    Json(f).into_response()
                }
                Err(e) => error(StatusCode::BAD_REQUEST, e),
            },
            Err(r) => *r,
        },
        ("DELETE", "faults") => {
            shared.lock().faults = Faults::default();
            Json(Faults::default()).into_response()
        }
        ("POST", "online") => match parse::<ClientBody>(&body) {
            Ok(b) => {
                let mut inner = shared.lock();
                let now = inner.now();
                let result = crate::smartag::put_online(
                    &mut inner.world,
                    &b.smart_ag_id,
                    &b.user_name,
                    b.client_ip,
                    b.online_time.unwrap_or(now),
                );
                drop(inner);
                match result {
                    Ok(session) => {
                        shared.persist();
                        Json(json!({ "client_ip": session.client_ip, "online_time": session.online_time })).into_response()
                    }
                    Err(e) => error(StatusCode::NOT_FOUND, e),
                }
            }
            Err(r) => *r,
        },
        ("POST", "offline") | ("POST", "usage") => match parse::<ClientBody>(&body) {
            Ok(b) => {
                let mut inner = shared.lock();
                let Some(user) = inner
                    .world
                    .instance_by_id_mut(&b.smart_ag_id)
                    .and_then(|i| i.user_mut(&b.user_name))
                else {
                    return error(
                        StatusCode::NOT_FOUND,
                        format!("no user {} on {}", b.user_name, b.smart_ag_id),
                    );
                };
                if rest == "offline" {
                    user.sessions.clear();
                } else {
                    user.used_data_this_month = b.used.unwrap_or(true);
                }
                drop(inner);
                shared.persist();
                Json(json!({ "ok": true })).into_response()
            }
            Err(r) => *r,
        },
        ("POST", "instances") => match parse::<InstanceBody>(&body) {
            Ok(b) if sag_api::validate::parse_cidr(&b.cidr).is_none() => {
                error(StatusCode::BAD_REQUEST, format!("bad CIDR {:?}", b.cidr))
            }
            Ok(b) if b.id.is_empty() || b.region.is_empty() => {
                error(StatusCode::BAD_REQUEST, "id and region are required")
            }
            Ok(b) => {
                let mut inner = shared.lock();
                let now = inner.now();
                inner.world.instances.retain(|i| i.id != b.id);
                inner.world.instances.push(Instance {
                    name: b.name.unwrap_or_else(|| b.id.clone()),
                    description: String::new(),
                    id: b.id,
                    region: b.region,
                    cidr: b.cidr,
                    user_quota: b.user_quota.unwrap_or(100),
                    status: "Active".into(),
                    created_ms: now * 1000,
                    end_ms: (now + 365 * 86_400) * 1000,
                    users: Vec::new(),
                });
                drop(inner);
                shared.persist();
                Json(json!({ "ok": true })).into_response()
            }
            Err(r) => *r,
        },
        ("PUT" | "POST", "clock") => match parse::<ClockBody>(&body) {
            Ok(b)
                if b.unix_seconds
                    .is_some_and(|t| !(0..=crate::LAST_HTTP_DATE).contains(&t)) =>
            {
                error(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "unix_seconds must be between 0 and {} (9999-12-31T23:59:59Z)",
                        crate::LAST_HTTP_DATE
                    ),
                )
            }
            Ok(b) => {
                shared.lock().pinned_clock = b.unix_seconds;
                Json(json!({ "unix_seconds": b.unix_seconds })).into_response()
            }
            Err(r) => *r,
        },
        ("POST", "tick") => match parse::<TickBody>(&body) {
            Ok(b) if b.count.unwrap_or(1) > crate::MAX_TICKS_PER_CALL => error(
                StatusCode::BAD_REQUEST,
                format!(
                    "count must be at most {} per call",
                    crate::MAX_TICKS_PER_CALL
                ),
            ),
            Ok(b) => {
                let count = b.count.unwrap_or(1);
                for _ in 0..count {
                    shared.tick();
                }
                Json(json!({ "ticks": count })).into_response()
            }
            Err(r) => *r,
        },
        ("GET", "requests") => {
            Json(shared.lock().log.iter().cloned().collect::<Vec<_>>()).into_response()
        }
        ("DELETE", "requests") => {
            shared.lock().log.clear();
            Json(json!({ "ok": true })).into_response()
        }
        ("GET", "state") => {
            let world = shared.lock().world.clone();
            Json(serde_json::to_value(world).unwrap_or(Value::Null)).into_response()
        }
        _ => error(
            StatusCode::NOT_FOUND,
            format!("no control endpoint {method} /_emulator/{rest}"),
        ),
    }
}
