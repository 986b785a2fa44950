//! Browser tests: components mounted in headless Chromium.

#![cfg(target_arch = "wasm32")]

use leptos::{mount::mount_to, prelude::*, task::tick};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn host() -> web_sys::HtmlElement {
    let document = document();
    let host = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host.unchecked_into()
}

#[wasm_bindgen_test]
async fn landing_page_reports_the_signing_self_check() {
    let host = host();
    let _handle = mount_to(host.clone(), sag_console::App);
    tick().await;
    let status = host
        .query_selector("#api-status")
        .unwrap()
        .expect("status line");
    assert!(
        status.class_name().contains("status-ok"),
        "class: {}",
        status.class_name()
    );
    assert!(status.text_content().unwrap().contains("signing verified"));
}

#[wasm_bindgen_test]
fn hmac_signing_matches_the_documented_examples_in_the_browser() {
    assert!(sag_console::self_check::run().passed());
}
