//! Scale measurements in headless Chromium on the release build, through the
//! proxy, against the emulator's big seed. They print numbers and assert
//! nothing about time (a benchmark, not a test), so they are `#[ignore]`d and
//! CI does not run them. `scripts/bench.sh` builds the bundle and runs them:
//!
//! ```sh
//! trunk build --release --offline
//! cargo test --release --test bench_scale -- --ignored --nocapture --test-threads 1
//! ```
//!
//! Each figure is the median of several runs, printed as one `figure:` line
//! with its budget beside it.
//!
//! - **load**: from the click on the instance's link until `#user-count`
//!   says that every user is listed (a `MutationObserver` notes the moment).
//! - **keystroke / clearing / sort**: from the input event (or the click)
//!   until the page has handled it and laid out the result: the event, the
//!   reactive updates it causes (microtasks), then a forced layout, read in
//!   the next task. The wait for the next frame is not counted: it is the
//!   display's, not the console's. The script also checks that the count
//!   on the page changed, so a figure can never be of a page that did nothing.
//! - **longest task**: the longest main-thread task (a `longtask` entry,
//!   reported by Chromium only for tasks over 50 ms; 0 means none).
//! - **refresh**: the online view at its shortest interval (5 s); from
//!   "refreshing…" appearing in `#updated` until it goes away.
//! - **heap**: after garbage collection (`--js-flags=--expose-gc`), the JS
//!   heap, the WebAssembly memory and the DOM node count after refreshes 1,
//!   10, 20 and 30; judged from 10 to 20 and from 20 to 30 (1 to 10 is the
//!   warm-up). V8's bytecode flushing is off (`--no-flush-bytecode`): it
//!   drops about 2 MB of start-up bytecode at a moment V8 picks, which made
//!   a window read whatever side of that drop it fell on.
//!
//! With `BENCH_PROFILE=1` the search keystrokes also run under Chromium's
//! CPU profiler and the profile is written to `target/bench-profile-<N>.json`
//! (open it in Chromium's DevTools, Performance panel). With
//! `BENCH_HEAP_PROFILE=1` the online refresh also samples the JS
//! allocations from refresh 10 to 20 and prints those still alive, by the
//! function that made them.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use serde_json::json;
use support::Stack;

const RUNS: usize = 5;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// One line per figure, with its budget: `figure: <what> = <value> (budget <b>) <ok|OVER>`.
fn figure(what: &str, value: f64, unit: &str, budget: f64) {
    let verdict = if value <= budget { "ok" } else { "OVER" };
    println!("figure: {what:<44} {value:>10.1} {unit:<3} (budget {budget} {unit}) {verdict}");
}

async fn big_stack(users: u32) -> Stack {
    let stack = Stack::start_with(cloud_emulator::Config {
        seed: cloud_emulator::Seed::Big(users),
        ..cloud_emulator::Config::default()
    })
    .await;
    // Remembered, so that a fresh load of a page keeps the connection.
    stack.connect(true).await;
    stack
}

/// Starts watching for main-thread tasks over 50 ms (`window.__longest`).
const WATCH_LONG_TASKS: &str = "window.__longest = 0; if (!window.__watching) { window.__watching = true; new PerformanceObserver(l => { for (const e of l.getEntries()) window.__longest = Math.max(window.__longest, e.duration); }).observe({type: 'longtask', buffered: false}); } return true;";

async fn longest_task(stack: &Stack) -> f64 {
    stack
        .browser
        .js("return window.__longest;")
        .await
        .as_f64()
        .unwrap_or(0.0)
}

/// Runs `action` (JavaScript) and returns the milliseconds until the page
/// handled it and laid out the result, with `#user-count`'s text then.
async fn timed(stack: &Stack, action: &str) -> (f64, String) {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const t0 = performance.now();
         {action}
         setTimeout(() => {{
           document.body.getBoundingClientRect();
           done([performance.now() - t0, document.querySelector('#user-count').textContent]);
         }}, 0);"
    );
    let answer = stack
        .browser
        .client
        .execute_async(&script, vec![])
        .await
        .expect("timed action");
    (
        answer[0].as_f64().unwrap_or(f64::NAN),
        answer[1].as_str().unwrap_or_default().to_owned(),
    )
}

fn type_into_search(text: &str) -> String {
    format!(
        "const input = document.querySelector('#search'); input.value = {text:?};
         input.dispatchEvent(new Event('input', {{bubbles: true}}));"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run with --ignored --nocapture"]
async fn load_filter_and_sort_at_scale() {
    for users in [2_000u32, 10_000] {
        let stack = big_stack(users).await;
        let b = &stack.browser;
        let all = format!("{users} users");
        let mut loads = Vec::new();
        let mut longest_load = Vec::new();
        for _ in 0..RUNS {
            stack.goto("/sag").await;
            b.wait_text("#instances", "Big Office").await;
            b.js(WATCH_LONG_TASKS).await;
            b.js(&format!(
                "window.__loaded = null; window.__t0 = performance.now();
                 new MutationObserver((_, obs) => {{
                   const el = document.querySelector('#user-count');
                   if (el && el.textContent.startsWith({all:?})) {{ window.__loaded = performance.now(); obs.disconnect(); }}
                 }}).observe(document.body, {{subtree: true, childList: true, characterData: true}});
                 return true;"
            ))
            .await;
            stack.navigate("/sag/cn-shanghai/sag-app-big01").await;
            b.wait_js("window.__loaded !== null", "every user listed")
                .await;
            loads.push(
                b.js("return window.__loaded - window.__t0;")
                    .await
                    .as_f64()
                    .unwrap_or(f64::NAN),
            );
            longest_load.push(longest_task(&stack).await);
        }
        assert_eq!(
            b.js("return document.querySelector('#users').getAttribute('aria-rowcount')")
                .await,
            json!((users + 1).to_string()),
            "the table tells screen readers how many rows there are"
        );

        // Who is online is read after the list; measure once it is in.
        b.wait_js(
            "![...document.querySelectorAll('#users .online-cell')].some(c => c.textContent.includes('…'))",
            "the online counts",
        )
        .await;
        b.js(WATCH_LONG_TASKS).await;
        let (mut typing, mut clearing, mut sorting) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let (ms, count) = timed(&stack, &type_into_search("tina")).await;
            assert!(
                count.contains("shown"),
                "the search narrowed the list: {count}"
            );
            typing.push(ms);
            let (ms, count) = timed(&stack, &type_into_search("")).await;
            assert!(count.starts_with(&all), "the search was cleared: {count}");
            clearing.push(ms);
        }
        if std::env::var("BENCH_PROFILE").is_ok() {
            b.cdp("Profiler.enable", json!({})).await;
            b.cdp("Profiler.setSamplingInterval", json!({"interval": 100}))
                .await;
            b.cdp("Profiler.start", json!({})).await;
            for _ in 0..RUNS {
                timed(&stack, &type_into_search("tina")).await;
                timed(&stack, &type_into_search("")).await;
            }
            let profile = b.cdp("Profiler.stop", json!({})).await;
            let path = format!(
                "{}/target/bench-profile-{users}.json",
                env!("CARGO_MANIFEST_DIR")
            );
            std::fs::write(&path, profile["value"]["profile"].to_string())
                .expect("write the profile");
            println!("CPU profile of the keystrokes: {path}");
        }
        for _ in 0..RUNS {
            let before = b
                .js("return document.querySelector('#users tbody tr[aria-rowindex=\"2\"]').textContent")
                .await;
            let (ms, _) = timed(
                &stack,
                "document.querySelector('#users thead th:nth-child(2) button').click();",
            )
            .await;
            let after = b
                .js("return document.querySelector('#users tbody tr[aria-rowindex=\"2\"]').textContent")
                .await;
            assert_ne!(before, after, "the click re-sorted the table");
            sorting.push(ms);
        }
        let longest_interacting = longest_task(&stack).await;

        if users <= 2_000 {
            figure(
                &format!("load of {users} users"),
                median(loads),
                "ms",
                1000.0,
            );
        } else {
            // The budget is for the vendor's maximum (2,000); this is for scale.
            println!("load of {users} users: {:.0} ms (no budget)", median(loads));
        }
        figure(
            &format!("longest task while loading {users}"),
            median(longest_load),
            "ms",
            50.0,
        );
        figure(&format!("keystroke at {users}"), median(typing), "ms", 16.0);
        figure(
            &format!("clearing the search at {users}"),
            median(clearing),
            "ms",
            16.0,
        );
        figure(
            &format!("sort click at {users}"),
            median(sorting),
            "ms",
            16.0,
        );
        figure(
            &format!("longest task, typing and sorting at {users}"),
            longest_interacting,
            "ms",
            50.0,
        );
        stack.stop().await;
    }
}

/// Waits (up to 100 s) until `window.__refreshes` holds `n` refreshes. It
/// looks every 5 s, once a refresh: each look is a chromedriver script, and
/// what its script runner leaves in the page counts in the heap figures.
async fn refreshes_seen(stack: &Stack, n: u64) {
    for _ in 0..20 {
        let seen = stack
            .browser
            .js("return window.__refreshes.length;")
            .await
            .as_u64()
            .unwrap_or(0);
        if seen >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5000)).await;
    }
}

/// The allocation sites of a sampling heap profile (`BENCH_HEAP_PROFILE=1`)
/// by the live bytes they allocated, largest first: the function that
/// allocated and the three callers above it.
fn print_retained(head: &serde_json::Value) {
    fn walk(
        node: &serde_json::Value,
        stack: &mut Vec<String>,
        out: &mut std::collections::HashMap<String, f64>,
    ) {
        let frame = &node["callFrame"];
        let name = frame["functionName"].as_str().unwrap_or("");
        let url = frame["url"].as_str().unwrap_or("");
        let file = url.rsplit('/').next().unwrap_or(url);
        stack.push(format!(
            "{}@{}:{}",
            if name.is_empty() { "(anonymous)" } else { name },
            file,
            frame["lineNumber"]
        ));
        let own = node["selfSize"].as_f64().unwrap_or(0.0);
        if own > 0.0 {
            let path: Vec<&str> = stack.iter().rev().take(4).map(String::as_str).collect();
            *out.entry(path.join(" < ")).or_default() += own;
        }
        for child in node["children"].as_array().into_iter().flatten() {
            walk(child, stack, out);
        }
        stack.pop();
    }
    let mut out = std::collections::HashMap::new();
    walk(head, &mut Vec::new(), &mut out);
    let mut sites: Vec<(String, f64)> = out.into_iter().collect();
    sites.sort_by(|a, b| b.1.total_cmp(&a.1));
    let total: f64 = sites.iter().map(|s| s.1).sum();
    println!(
        "live JS allocations sampled since refresh 1: {:.0} KB",
        total / 1024.0
    );
    for (site, bytes) in sites.iter().take(25) {
        println!("  {:>8.1} KB  {site}", bytes / 1024.0);
    }
}

/// The heap figures, after a garbage collection.
async fn heap(stack: &Stack) -> (f64, f64, f64) {
    let v = stack
        .browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             (async () => {
               const wasm = await window.wasmBindings.default();
               for (let i = 0; i < 10; i++) { gc(); await new Promise(r => setTimeout(r, 50)); }
               done([performance.memory.usedJSHeapSize, wasm.memory.buffer.byteLength,
                     document.getElementsByTagName('*').length]);
             })();",
            vec![],
        )
        .await
        .expect("heap figures");
    (
        v[0].as_f64().unwrap_or(f64::NAN),
        v[1].as_f64().unwrap_or(f64::NAN),
        v[2].as_f64().unwrap_or(f64::NAN),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run with --ignored --nocapture"]
async fn online_refresh_at_scale() {
    const USERS: u32 = 2_000;
    let stack = big_stack(USERS).await;
    let b = &stack.browser;
    stack.goto("/sag").await;
    b.wait_text("#instances", "Big Office").await;
    b.js("localStorage.setItem('sag-console.online-interval', '5'); return true;")
        .await;
    stack
        .navigate("/sag/cn-shanghai/sag-app-big01/online")
        .await;
    b.wait_text("#refresh-cost", "per refresh").await;
    b.wait_js(
        "!document.querySelector('#updated').textContent.includes('refreshing')",
        "the first refresh to end",
    )
    .await;
    let cost = b.text_of("#refresh-cost").await;
    let (heap1, wasm1, nodes1) = heap(&stack).await;

    // Every refresh from here on: its start and end, from `#updated`.
    b.js(WATCH_LONG_TASKS).await;
    b.js("window.__refreshes = []; let start = null;
          new MutationObserver(() => {
            const busy = document.querySelector('#updated').textContent.includes('refreshing');
            if (busy && start === null) start = performance.now();
            if (!busy && start !== null) { window.__refreshes.push(performance.now() - start); start = null; }
          }).observe(document.querySelector('#updated'), {subtree: true, childList: true, characterData: true});
          return true;")
        .await;
    // Nine more refreshes, one every 5 s: the warm-up.
    refreshes_seen(&stack, 9).await;
    let durations: Vec<f64> = b
        .js("return window.__refreshes;")
        .await
        .as_array()
        .expect("refresh durations")
        .iter()
        .filter_map(|v| v.as_f64())
        .collect();
    assert!(durations.len() >= 9, "nine refreshes ran: {durations:?}");
    let longest = longest_task(&stack).await;
    let (heap10, wasm10, nodes10) = heap(&stack).await;
    let heap_profile = std::env::var("BENCH_HEAP_PROFILE").is_ok();
    if heap_profile {
        // Every 512th byte allocated from here on is sampled with its stack;
        // what is still alive at refresh 20 is what the growth is made of.
        b.cdp("HeapProfiler.enable", json!({})).await;
        b.cdp(
            "HeapProfiler.startSampling",
            json!({"samplingInterval": 512}),
        )
        .await;
    }
    // Twice ten more: a leak grows in both windows alike; warm-up does not.
    b.js("window.__refreshes = []; return true;").await;
    refreshes_seen(&stack, 10).await;
    let (heap20, wasm20, nodes20) = heap(&stack).await;
    if heap_profile {
        let profile = b.cdp("HeapProfiler.getSamplingProfile", json!({})).await;
        b.cdp("HeapProfiler.stopSampling", json!({})).await;
        print_retained(&profile["value"]["profile"]["head"]);
    }
    b.js("window.__refreshes = []; return true;").await;
    refreshes_seen(&stack, 10).await;
    let (heap30, wasm30, nodes30) = heap(&stack).await;

    println!("online view at {USERS} users: {cost}");
    figure(
        &format!("refresh at {USERS} (online view)"),
        median(durations),
        "ms",
        5000.0,
    );
    figure(
        &format!("longest task over 10 refreshes at {USERS}"),
        longest,
        "ms",
        50.0,
    );
    let kb = |x: f64| x / 1024.0;
    println!(
        "heap after 1, 10, 20 and 30 refreshes: JS {:.0} / {:.0} / {:.0} / {:.0} KB; wasm memory {:.0} / {:.0} / {:.0} / {:.0} KB; DOM nodes {nodes1} / {nodes10} / {nodes20} / {nodes30}",
        kb(heap1), kb(heap10), kb(heap20), kb(heap30),
        kb(wasm1), kb(wasm10), kb(wasm20), kb(wasm30)
    );
    // Refreshes 1 to 10 are the warm-up, shown but not judged: V8 compiles
    // the code paths a refresh takes and fills its own caches (about
    // +170 KB of JS heap, measured with BENCH_HEAP_PROFILE=1: V8's and
    // chromedriver's allocations, a few KB of the console's), and the
    // allocator's high-water mark settles (the WebAssembly memory only ever
    // grows, in 64 KB pages). A leak grows in every window: each of the two
    // windows after the warm-up is allowed 64 KB of JS heap (V8's own
    // noise after a GC), no WebAssembly memory and no DOM node.
    println!(
        "warm-up, refresh 1 to 10: JS heap {:+.0} KB, wasm memory {:+.0} KB",
        kb(heap10 - heap1),
        kb(wasm10 - wasm1)
    );
    for (window, js, wasm) in [
        ("10 to 20", heap20 - heap10, wasm20 - wasm10),
        ("20 to 30", heap30 - heap20, wasm30 - wasm20),
    ] {
        figure(
            &format!("JS heap growth, refresh {window}"),
            kb(js),
            "KB",
            64.0,
        );
        figure(
            &format!("wasm memory growth, refresh {window}"),
            kb(wasm),
            "KB",
            0.0,
        );
    }
    figure(
        "DOM node growth, refresh 1 to 30",
        nodes30 - nodes1,
        "",
        0.0,
    );
    stack.stop().await;
}

/// Issue 22's slow link: a cold first visit to Settings over 1.6 Mbit/s
/// with 150 ms round trips (Chromium's network emulation), from the start
/// of navigation until Settings can be used (its key field is on the page),
/// and until the signing self-check has passed. The build is served
/// brotli-compressed, as nginx and the gateway serve it. `E2E_DIST_DIR`
/// picks another build (the unsplit one, to compare).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run with --ignored --nocapture"]
async fn first_visit_to_settings_over_a_slow_link() {
    use tower_http::services::{ServeDir, ServeFile};
    let dist = support::dist_dir();
    // A copy of the build with a .br beside every file (Node's brotli, q 11).
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&dist).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
        }
    }
    let compressed = std::process::Command::new("node")
        .arg("-e")
        .arg("const fs=require('fs'),z=require('zlib'),p=require('path');for(const f of fs.readdirSync(process.argv[1])){const b=fs.readFileSync(p.join(process.argv[1],f));fs.writeFileSync(p.join(process.argv[1],f+'.br'),z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11,[z.constants.BROTLI_PARAM_SIZE_HINT]:b.length}}));}")
        .arg(copy.path())
        .status()
        .expect("node compresses the build");
    assert!(compressed.success());
    let index = ServeFile::new(copy.path().join("index.html")).precompressed_br();
    let app = axum::Router::new().fallback_service(
        ServeDir::new(copy.path())
            .precompressed_br()
            .fallback(index),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let (mut usable, mut checked, mut bytes) = (Vec::new(), Vec::new(), 0.0);
    for _ in 0..RUNS {
        let b = support::Browser::start().await;
        b.cdp("Network.enable", json!({})).await;
        b.cdp("Network.setCacheDisabled", json!({"cacheDisabled": true}))
            .await;
        b.cdp(
            "Network.emulateNetworkConditions",
            json!({"offline": false, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 200_000}),
        )
        .await;
        b.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": "new MutationObserver(() => {
                if (!window.__usable && document.querySelector('#access-key-id')) window.__usable = performance.now();
                if (!window.__checked && document.querySelector('#api-status.status-ok')) window.__checked = performance.now();
            }).observe(document, {subtree: true, childList: true, attributes: true});"}),
        )
        .await;
        b.client
            .goto(&format!("http://{addr}/connect"))
            .await
            .expect("open Settings");
        b.wait_js_within("window.__usable && window.__checked", "Settings usable", 60)
            .await;
        usable.push(b.js("return window.__usable").await.as_f64().unwrap());
        checked.push(b.js("return window.__checked").await.as_f64().unwrap());
        bytes = b
            .js("return performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation')).reduce((a, e) => a + e.transferSize, 0)")
            .await
            .as_f64()
            .unwrap();
        b.close().await;
    }
    println!("load of {}: {bytes:.0} bytes transferred", dist.display());
    figure(
        "settings usable, 1.6 Mbit/s 150 ms (ms)",
        median(usable),
        "ms",
        2500.0,
    );
    figure(
        "settings self-check passed (ms)",
        median(checked),
        "ms",
        3000.0,
    );
    server.abort();
}
