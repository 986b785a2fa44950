//! The `cloud-emulator` binary: starts, prints its keys, serves, saves its
//! state and exits cleanly on Ctrl-C (SIGINT); refuses a damaged state file.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn emulator() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cloud-emulator"))
}

#[test]
fn serves_until_ctrl_c_and_keeps_its_state() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let mut child = emulator()
        .args([
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "empty",
            "--tick-ms",
            "0",
            "--quiet",
            "--state",
        ])
        .arg(&state)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .strip_prefix("cloud-emulator listening on ")
        .expect(&first)
        .to_owned();
    let banner: Vec<String> = lines.by_ref().take(3).map(Result::unwrap).collect();
    assert!(banner[0].contains("LTAIdemoConsoleKey01"), "{banner:?}");
    assert!(
        banner[1].contains("AKIDdemoConsoleKey0000000001"),
        "{banner:?}"
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let http = reqwest::Client::new();
        let health = http.get(format!("{url}/_emulator/health")).send().await.unwrap();
        assert_eq!(health.status(), 200);
        let added = http
            .post(format!("{url}/_emulator/instances"))
            .json(&serde_json::json!({"id": "sag-cli", "region": "cn-shanghai", "cidr": "10.1.0.0/24"}))
            .send()
            .await
            .unwrap();
        assert_eq!(added.status(), 200);
    });
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "exit status {exit:?}");
    let saved = std::fs::read_to_string(&state).unwrap();
    assert!(saved.contains("sag-cli"), "{saved}");
}

#[test]
fn refuses_a_damaged_state_file_and_bad_options() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    std::fs::write(&state, "not json").unwrap();
    let out = emulator()
        .args(["--listen", "127.0.0.1:0", "--state"])
        .arg(&state)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("damaged") && err.contains("state.json"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&state).unwrap(), "not json");

    let out = emulator().args(["--latency-ms", "9..1"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("MIN must not exceed MAX"));
    let out = emulator()
        .args(["--aliyun-key", "no-colon"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ID:SECRET"));
    let out = emulator()
        .args(["--listen", "127.0.0.1:0", "--throttle-rate", "1.5"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0 and 1"));
}
