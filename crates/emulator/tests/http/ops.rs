//! Fault injection, concurrency, persistence and the control endpoints.

use std::time::Instant;

use cloud_emulator::Faults;
use sag_api::cam::ListUsers;
use sag_api::smartag::{CreateClientUser, DescribeClientUsers};
use sag_api::{ApiError, ErrorKind};
use serde_json::json;

use crate::support::{config, Env};

const R: &str = "cn-shanghai";
const HQ: &str = "sag-app-hq01";

fn create(i: usize) -> CreateClientUser {
    CreateClientUser {
        region_id: R.into(),
        smart_ag_id: HQ.into(),
        user_mail: format!("race{i}@example.com"),
        bandwidth_kbps: 1000,
        credentials: None,
        client_ip: None,
    }
}

async fn total(env: &Env) -> u64 {
    env.call(&DescribeClientUsers::page(R, HQ, 1, 1))
        .await
        .unwrap()
        .total_count
}

#[tokio::test]
async fn throttling_and_5xx_faults_refuse_without_running_the_action() {
    let env = Env::start().await;
    let (status, _) = env
        .control("PUT", "faults", json!({"throttle_rate": 1.0}))
        .await;
    assert_eq!(status, 200);
    let e = env.call(&create(1)).await.unwrap_err();
    assert_eq!(
        (e.code(), e.kind(), e.is_retryable()),
        (Some("Throttling.User"), ErrorKind::Throttled, true)
    );
    let t = env.call(&ListUsers).await.unwrap_err();
    assert_eq!(t.code(), Some("RequestLimitExceeded"));
    env.control("PUT", "faults", json!({"error_rate": 1.0}))
        .await;
    let e = env.call(&create(1)).await.unwrap_err();
    assert_eq!(
        (e.code(), e.http_status(), e.kind()),
        (
            Some("ServiceUnavailable"),
            Some(503),
            ErrorKind::ServiceFault
        )
    );
    env.control("DELETE", "faults", json!({})).await;
    assert_eq!(total(&env).await, 120, "refused requests changed nothing");
}

#[tokio::test]
async fn malformed_answers_still_run_the_action() {
    let env = Env::start().await;
    env.control("PUT", "faults", json!({"malformed_rate": 1.0}))
        .await;
    let mut kinds = std::collections::BTreeSet::new();
    for i in 0..8 {
        match env.call(&create(i)).await.unwrap_err() {
            ApiError::Malformed { .. } => kinds.insert("truncated"),
            ApiError::Proxy { status: 502, title } => {
                assert_eq!(title.as_deref(), Some("502 Bad Gateway"));
                kinds.insert("html")
            }
            other => panic!("unexpected {other:?}"),
        };
    }
    assert_eq!(
        kinds.len(),
        2,
        "both truncated bodies and HTML pages: {kinds:?}"
    );
    env.control("DELETE", "faults", json!({})).await;
    assert_eq!(
        total(&env).await,
        128,
        "each create ran although its answer was lost"
    );
}

#[tokio::test]
async fn latency_is_added() {
    let env = Env::start().await;
    env.control("PUT", "faults", json!({"latency_ms": [300, 300]}))
        .await;
    let start = Instant::now();
    env.call(&ListUsers).await.unwrap();
    assert!(start.elapsed().as_millis() >= 300, "{:?}", start.elapsed());
    let (status, body) = env
        .control("PUT", "faults", json!({"throttle_rate": 2.0}))
        .await;
    assert_eq!(status, 400, "{body}");
    // Latency is capped at the console's longest timeout, and the refusal
    // says the limit.
    let (status, body) = env
        .control("PUT", "faults", json!({"latency_ms": [0, 3_600_000]}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("at most 120000 ms"),
        "{body}"
    );
    let (status, _) = env
        .control("PUT", "faults", json!({"latency_ms": [120_000, 120_000]}))
        .await;
    assert_eq!(status, 200, "the limit itself is allowed");
    let (_, faults) = env.control("GET", "faults", json!(null)).await;
    assert_eq!(faults["latency_ms"], json!([120_000, 120_000]));
}

#[tokio::test]
async fn an_action_whose_client_gave_up_during_a_delay_is_still_in_the_log() {
    let env = Env::start().await;
    env.control("DELETE", "requests", json!(null)).await;
    env.control("PUT", "faults", json!({"latency_ms": [1500, 1500]}))
        .await;
    let request = sag_api::request::prepare(
        &create(0),
        &env.aliyun,
        &crate::support::stamp(),
        &env.profile,
    );
    let impatient = reqwest::Client::builder()
        .timeout(std::time::Duration::from_millis(300))
        .build()
        .unwrap();
    let mut builder = impatient.post(format!("{}{}", env.emu.url(), request.url("/")));
    for (name, value) in &request.headers {
        builder = builder.header(*name, value);
    }
    let sent = builder
        .body(request.body.clone().unwrap_or_default())
        .send()
        .await;
    assert!(sent.is_err(), "the client gave up: {sent:?}");
    env.control("DELETE", "faults", json!({})).await;
    assert_eq!(total(&env).await, 121, "the create ran");
    let (_, log) = env.control("GET", "requests", json!(null)).await;
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "CreateSmartAccessGatewayClientUser",
            "DescribeSmartAccessGatewayClientUsers"
        ],
        "{log}"
    );
    assert!(log[0]["latency_ms"].as_u64().unwrap() >= 1500, "{log}");
    // The log names the headers received, never their values.
    let headers: Vec<&str> = log[0]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert!(headers.contains(&"content-type"), "{headers:?}");
    assert!(!log
        .to_string()
        .contains(env.aliyun.access_key_secret.expose()));
}

/// Creates users 0..n at once, each on its own task; every create succeeds.
async fn create_racing(env: &std::sync::Arc<Env>, n: usize) {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let env = env.clone();
            tokio::spawn(async move { env.call(&create(i)).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn fifty_racing_creates_lose_and_duplicate_nothing() {
    let env = std::sync::Arc::new(Env::start().await);
    create_racing(&env, 50).await;
    // Ten more racing on the same name: exactly one wins.
    let same: Vec<_> = (0..10)
        .map(|_| {
            let env = env.clone();
            tokio::spawn(async move { env.call(&create(999)).await })
        })
        .collect();
    let mut wins = 0;
    for t in same {
        match t.await.unwrap() {
            Ok(_) => wins += 1,
            Err(e) => assert_eq!(e.code(), Some("ClientUser.UserExist")),
        }
    }
    assert_eq!(wins, 1);
    let page = env
        .call(&DescribeClientUsers::page(R, HQ, 2, 100))
        .await
        .unwrap();
    assert_eq!(page.total_count, 171);
    let mut names: Vec<_> = page.users.iter().map(|u| u.user_name.clone()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 71);
}

#[tokio::test]
async fn state_survives_a_restart_and_a_damaged_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let env = Env::with(cloud_emulator::Config {
        state_file: Some(path.clone()),
        ..config()
    })
    .await;
    env.call(&create(1)).await.unwrap();
    env.emu.stop().await;
    let again = Env::with(cloud_emulator::Config {
        state_file: Some(path.clone()),
        ..config()
    })
    .await;
    assert_eq!(total(&again).await, 121);
    again.emu.stop().await;

    std::fs::write(&path, "{\"instances\": [tru").unwrap();
    let err = match cloud_emulator::start(cloud_emulator::Config {
        state_file: Some(path.clone()),
        ..config()
    })
    .await
    {
        Ok(_) => panic!("a damaged state file must not start"),
        Err(e) => e,
    };
    assert!(
        err.contains("damaged") && err.contains("state.json"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\"instances\": [tru",
        "left untouched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_changes_leave_the_state_file_at_the_latest_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let env = std::sync::Arc::new(
        Env::with(cloud_emulator::Config {
            state_file: Some(path.clone()),
            ..config()
        })
        .await,
    );
    create_racing(&env, 40).await;
    // Every write is done when the last answer is sent: the file holds the
    // state with all 40 users, never an older snapshot written last.
    let (_, live) = env.control("GET", "state", serde_json::Value::Null).await;
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).expect("whole JSON");
    assert_eq!(stored, live);
    assert_eq!(total(&env).await, 160);
    assert!(
        !path.with_extension("tmp").exists(),
        "no temporary file left"
    );
}

#[tokio::test]
async fn reset_request_log_and_state_endpoints() {
    let env = Env::start().await;
    env.call(&create(1)).await.unwrap();
    let _ = env
        .call_with(
            &ListUsers,
            &sag_api::Credentials::new("AKIDx", "SuperSecretValue"),
            &crate::support::stamp(),
            &env.profile,
        )
        .await;
    let (_, log) = env.control("GET", "requests", json!(null)).await;
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["action"], "CreateSmartAccessGatewayClientUser");
    assert_eq!(entries[0]["outcome"], "OK");
    assert_eq!(entries[1]["outcome"], "AuthFailure.SecretIdNotFound");
    assert!(!log.to_string().contains("SuperSecretValue"));
    let (status, _) = env.control("POST", "reset", json!({"seed": "empty"})).await;
    assert_eq!(status, 200);
    let (_, state) = env.control("GET", "state", json!(null)).await;
    assert_eq!(state["instances"].as_array().unwrap().len(), 0);
    let (_, log) = env.control("GET", "requests", json!(null)).await;
    assert!(log.as_array().unwrap().is_empty());
    env.control("POST", "reset", json!({})).await;
    assert_eq!(total(&env).await, 120);
    let (status, _) = env
        .control(
            "POST",
            "online",
            json!({"smart_ag_id": HQ, "user_name": "nobody"}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = env.control("POST", "nothing-here", json!({})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_simulation_is_deterministic_under_a_random_seed() {
    async fn online_after(ticks: u32) -> Vec<String> {
        let env = Env::start().await;
        env.control("POST", "tick", json!({"count": ticks})).await;
        let (_, state) = env.control("GET", "state", json!(null)).await;
        let mut online = Vec::new();
        for instance in state["instances"].as_array().unwrap() {
            for user in instance["users"].as_array().unwrap() {
                if !user["sessions"].as_array().unwrap().is_empty() {
                    online.push(user["user_name"].as_str().unwrap().to_owned());
                }
            }
        }
        online
    }
    let a = online_after(40).await;
    let b = online_after(40).await;
    assert_eq!(a, b);
    assert_ne!(a, online_after(0).await, "clients came and went");
}

#[tokio::test]
async fn no_control_disables_the_endpoints() {
    let env = Env::with(cloud_emulator::Config {
        control: false,
        ..config()
    })
    .await;
    let (status, _) = env.control("POST", "reset", json!({})).await;
    assert_eq!(status, 404);
    env.call(&ListUsers).await.unwrap();
}

#[tokio::test]
async fn bad_fault_settings_are_refused_at_start() {
    let bad = cloud_emulator::Config {
        faults: Faults {
            latency_ms: (5, 1),
            ..Faults::default()
        },
        ..config()
    };
    assert!(cloud_emulator::start(bad).await.is_err());
}

#[tokio::test]
async fn faults_can_target_actions_and_stop_after_a_count() {
    let env = Env::start().await;
    env.control("PUT", "faults", json!({"throttle_rate": 1.0, "actions": ["CreateSmartAccessGatewayClientUser"], "count": 2})).await;
    // Other actions pass.
    assert_eq!(total(&env).await, 120);
    assert_eq!(
        env.call(&create(1)).await.unwrap_err().code(),
        Some("Throttling.User")
    );
    assert_eq!(
        env.call(&create(1)).await.unwrap_err().code(),
        Some("Throttling.User")
    );
    env.call(&create(1)).await.unwrap();
    let (_, faults) = env.control("GET", "faults", json!(null)).await;
    assert_eq!(faults["count"], 0);
}

#[tokio::test]
async fn the_date_header_follows_the_emulator_clock() {
    let env = Env::start().await;
    env.control("PUT", "clock", json!({"unix_seconds": 1_700_000_000}))
        .await;
    let response = env
        .http
        .post(format!("{}/", env.emu.url()))
        .body("Action=X")
        .send()
        .await
        .unwrap();
    let date = response.headers()["date"].to_str().unwrap().to_owned();
    assert_eq!(date, "Tue, 14 Nov 2023 22:13:20 GMT");
}
