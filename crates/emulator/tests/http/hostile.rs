//! The emulator under bad input: no request may panic it or stall it.
//! Each test ends by checking that an ordinary request is still answered.

use std::time::{Duration, Instant};

use sag_api::cam::ListUsers;
use sag_api::smartag::DescribeClientUsers;

use crate::support::{stamp, stamp_at, Env};

const R: &str = "cn-shanghai";
const HQ: &str = "sag-app-hq01";

async fn still_answers(env: &Env) {
    let page = env
        .call_with(
            &DescribeClientUsers::page(R, HQ, 1, 5),
            &env.aliyun,
            &stamp(),
            &env.profile,
        )
        .await
        .expect("an ordinary request is still answered");
    assert_eq!(page.users.len(), 5);
}

#[tokio::test]
async fn a_page_number_at_the_limit_of_u64_is_an_empty_page() {
    let env = Env::start().await;
    for page in [u32::MAX, u32::MAX - 1] {
        let answer = env
            .call(&DescribeClientUsers::page(R, HQ, page, 100))
            .await
            .expect("a page past the end is empty, not a failure");
        assert!(answer.users.is_empty());
        assert_eq!(answer.total_count, 120);
    }
    // A PageNumber no SDK would send (u64::MAX), straight on the wire.
    let request = crate::support::resigned_with(
        sag_api::request::prepare(
            &DescribeClientUsers::page(R, HQ, 1, 100),
            &env.aliyun,
            &stamp(),
            &env.profile,
        ),
        "PageNumber",
        &u64::MAX.to_string(),
    );
    let (status, body) = env.send_raw(&request).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"TotalCount\":120"), "{body}");
    still_answers(&env).await;
}

#[tokio::test]
async fn timestamps_at_the_ends_of_the_clock_are_expired_not_a_crash() {
    let env = Env::start().await;
    for at in [i64::MIN, i64::MIN + 1, i64::MAX] {
        let e = env
            .call_with(&ListUsers, &env.tencent, &stamp_at(at), &env.profile)
            .await
            .expect_err("far from now");
        assert_eq!(e.code(), Some("AuthFailure.SignatureExpire"), "{at}: {e}");
    }
    still_answers(&env).await;
}

#[tokio::test]
async fn a_clock_pinned_at_the_ends_of_time_does_not_break_it() {
    let env = Env::start().await;
    // Beyond what an HTTP date can say: refused, with the range named.
    for pinned in [i64::MAX, i64::MIN, -1, 253_402_300_800] {
        let (status, body) = env
            .control(
                "PUT",
                "clock",
                serde_json::json!({ "unix_seconds": pinned }),
            )
            .await;
        assert_eq!(status, 400, "{pinned}: {body}");
        assert!(body.to_string().contains("253402300799"), "{body}");
    }
    for pinned in [0i64, 253_402_300_799 /* 9999-12-31T23:59:59Z */] {
        let (status, _) = env
            .control(
                "PUT",
                "clock",
                serde_json::json!({ "unix_seconds": pinned }),
            )
            .await;
        assert_eq!(status, 200);
        // Requests are stamped with the real time: far off the pinned clock.
        let e = env
            .call(&DescribeClientUsers::page(R, HQ, 1, 5))
            .await
            .expect_err("clock skew");
        assert_eq!(e.code(), Some("InvalidTimeStamp.Expired"), "{pinned}: {e}");
        let (status, _) = env
            .control("POST", "tick", serde_json::json!({ "count": 3 }))
            .await;
        assert_eq!(status, 200, "the simulation steps at {pinned}");
    }
    env.control("PUT", "clock", serde_json::json!({ "unix_seconds": null }))
        .await;
    still_answers(&env).await;
}

#[tokio::test]
async fn a_huge_tick_count_is_refused_at_once() {
    let env = Env::start().await;
    let started = Instant::now();
    let (status, body) = env
        .control("POST", "tick", serde_json::json!({ "count": u32::MAX }))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string().contains("10000"),
        "the limit is named: {body}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answered at once"
    );
    still_answers(&env).await;
}
