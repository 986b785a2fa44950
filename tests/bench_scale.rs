//! Scale measurements in headless Chromium against the emulator's big seed:
//! they print numbers and assert nothing about time (a benchmark, not a
//! test), so they are `#[ignore]`d and CI does not run them. Run with
//!
//! ```sh
//! trunk build --release --offline
//! cargo test --release --test bench_scale -- --ignored --nocapture --test-threads 1
//! ```
//!
//! Each figure is the median of several runs. `scripts/bench.sh` (issue 8) is
//! to wrap this with the bundle size and print every figure beside its budget.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use serde_json::json;
use support::Stack;

const RUNS: usize = 5;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

async fn big_stack(users: u32) -> Stack {
    let stack = Stack::start_with(cloud_emulator::Config {
        seed: cloud_emulator::Seed::Big(users),
        ..cloud_emulator::Config::default()
    })
    .await;
    stack.connect(false).await;
    stack
}

/// Starts watching for main-thread tasks over 50 ms.
const WATCH_LONG_TASKS: &str = "window.__longest = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) window.__longest = Math.max(window.__longest, e.duration); }).observe({type: 'longtask', buffered: false}); return true;";

/// Types `text` into the search box and waits for the next frame after the
/// DOM settled; returns the milliseconds it took.
async fn keystroke(stack: &Stack, text: &str) -> f64 {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const input = document.querySelector('#search');
         const t0 = performance.now();
         input.value = {text:?};
         input.dispatchEvent(new Event('input', {{bubbles: true}}));
         setTimeout(() => requestAnimationFrame(() => done(performance.now() - t0)), 0);"
    );
    stack
        .browser
        .client
        .execute_async(&script, vec![])
        .await
        .expect("keystroke")
        .as_f64()
        .unwrap_or(f64::NAN)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run with --ignored --nocapture"]
async fn load_and_search_at_scale() {
    for users in [2_000u32, 10_000] {
        let stack = big_stack(users).await;
        let b = &stack.browser;
        let mut loads = Vec::new();
        let mut longest = Vec::new();
        for _ in 0..RUNS {
            stack.goto("/sag").await;
            b.wait_text("#instances", "Big Office").await;
            b.js(WATCH_LONG_TASKS).await;
            b.js("window.__t0 = performance.now(); return true;").await;
            stack.navigate("/sag/cn-shanghai/sag-app-big01").await;
            b.wait_text("#user-count", &format!("{users} users")).await;
            loads.push(
                b.js("return performance.now() - window.__t0;")
                    .await
                    .as_f64()
                    .unwrap_or(f64::NAN),
            );
            longest.push(
                b.js("return window.__longest;")
                    .await
                    .as_f64()
                    .unwrap_or(0.0),
            );
        }
        b.js(WATCH_LONG_TASKS).await;
        let mut typing = Vec::new();
        let mut clearing = Vec::new();
        for _ in 0..RUNS {
            typing.push(keystroke(&stack, "tina").await);
            clearing.push(keystroke(&stack, "").await);
        }
        let mut sorting = Vec::new();
        for _ in 0..RUNS {
            let ms = b
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     const t0 = performance.now();
                     document.querySelector('#users th:nth-child(4) button').click();
                     setTimeout(() => requestAnimationFrame(() => done(performance.now() - t0)), 0);",
                    vec![],
                )
                .await
                .expect("sort")
                .as_f64()
                .unwrap_or(f64::NAN);
            sorting.push(ms);
        }
        let longest_typing = b.js("return window.__longest;").await;
        println!(
            "{users} users: load {:.0} ms (longest task {:.0} ms); keystroke {:.1} ms, clearing {:.1} ms, sort click {:.1} ms (longest task while typing and sorting {} ms)",
            median(loads),
            median(longest),
            median(typing),
            median(clearing),
            median(sorting),
            longest_typing
        );
        assert_eq!(
            b.js("return document.querySelector('#users').getAttribute('aria-rowcount')")
                .await,
            json!((users + 1).to_string())
        );
        stack.stop().await;
    }
}
