//! The import run as a service: one create at a time at the admin's pace,
//! sent again only by the client's patient-mutation policy
//! ([`ApiClient::mutate_patiently`]: passing refusals and lost answers that
//! a lookup shows did not land), paused and stopped by the page. The page
//! only starts it, pauses it and shows what it hears through
//! [`ImportWatch`].

use crate::plumbing::{ApiClient, CallError, Mutation};
use crate::sag::import::Row;

/// How one row's create ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowEnd {
    /// Answered, or found by a lookup after its answer was lost.
    Created,
    /// Refused for good, or (after the last attempt) known not to have
    /// happened.
    Failed(CallError),
    /// The answer was lost and no lookup could tell whether it landed.
    Unknown(CallError),
}

/// What a run asks the page and tells it.
pub trait ImportWatch {
    /// Asked before each row: the run waits while paused.
    fn paused(&self) -> bool;
    /// Asked before each row and each send: the page was left (or the run
    /// stopped); nothing more is sent.
    fn stopped(&self) -> bool;
    /// A row's create is about to be sent (its progress says "being sent").
    fn sending(&self, line: usize, name: &str);
    /// A row ended.
    fn ended(&self, line: usize, name: &str, end: RowEnd);
}

/// How often a paused run looks whether it may go on.
pub const PAUSE_POLL_MS: u32 = 200;

/// The admin's rate, from 1 to 10 creates a second.
pub const RATE_RANGE: (u32, u32) = (1, 10);

/// The wait before each send at `per_second` (clamped to [`RATE_RANGE`]).
pub fn pace_ms(per_second: u32) -> u32 {
    1000 / per_second.clamp(RATE_RANGE.0, RATE_RANGE.1)
}

/// Creates `rows` (those without a valid user are passed over) one at a
/// time. Returns whether it reached the end; `false` when it stopped.
pub async fn import_rows(
    client: &ApiClient,
    region: &str,
    instance: &str,
    rows: &[Row],
    per_second: u32,
    watch: &dyn ImportWatch,
) -> bool {
    let gap = pace_ms(per_second);
    let go_on = || !watch.stopped();
    for row in rows {
        while go_on() && watch.paused() {
            client.wait_ms(PAUSE_POLL_MS).await;
        }
        if !go_on() {
            return false;
        }
        let Some(user) = &row.user else { continue };
        let name = row.login_name();
        watch.sending(row.line, name);
        let request = user.action(region, instance);
        let outcome = client
            .mutate_patiently(
                gap,
                &go_on,
                async || super::create_user(client, &request).await,
                async || {
                    super::find_user(client, region, instance, name)
                        .await
                        .map(|u| u.is_some())
                },
            )
            .await;
        let end = match outcome {
            None => return false,
            Some(Mutation::Done(()) | Mutation::Confirmed(_)) => RowEnd::Created,
            Some(Mutation::Failed { error, .. }) => RowEnd::Failed(error),
            Some(Mutation::Unknown { error, .. }) => RowEnd::Unknown(error),
        };
        watch.ended(row.line, name, end);
    }
    true
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};

    use super::*;
    use crate::plumbing::client::backoff_ms;
    use crate::plumbing::client::fake::*;
    use crate::plumbing::client::{MAX_WRITE_ATTEMPTS, RELOOK_DELAY_MS};
    use crate::sag::import::{preview, Target};

    const CREATED: &str = r#"{"RequestId":"OK1","UserName":"x"}"#;
    const EMPTY: &str =
        r#"{"RequestId":"R","TotalCount":0,"PageNumber":1,"PageSize":10,"Users":{"User":[]}}"#;
    const EXISTS: &str = r#"{"RequestId":"E","Code":"SmartAccessGatewayClientUser.AlreadyExist","Message":"exists"}"#;

    fn found(name: &str) -> String {
        format!(
            r#"{{"RequestId":"R","TotalCount":1,"PageNumber":1,"PageSize":10,"Users":{{"User":[{{"UserName":"{name}","UserMail":"{name}@example.com","Bandwidth":2000,"State":0}}]}}}}"#
        )
    }

    fn rows(names: &[&str]) -> Vec<Row> {
        let mut csv = String::from("email,bandwidth,username,password\n");
        for n in names {
            csv.push_str(&format!("{n}@example.com,2000,{n},Passw0rd_1\n"));
        }
        let p = preview(
            &csv,
            &Target {
                existing: &[],
                cidr: None,
                quota: None,
                max_bandwidth: 10_000,
            },
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        p.rows
    }

    /// Records what the run told it; pauses for `pause_polls` polls and
    /// stops after `stop_after` rows ended.
    #[derive(Default)]
    struct Watch {
        events: RefCell<Vec<String>>,
        ends: RefCell<Vec<(usize, String, RowEnd)>>,
        pause_polls: Cell<u32>,
        stop_after: Option<usize>,
    }

    impl ImportWatch for Watch {
        fn paused(&self) -> bool {
            let left = self.pause_polls.get();
            self.pause_polls.set(left.saturating_sub(1));
            left > 0
        }
        fn stopped(&self) -> bool {
            self.stop_after
                .is_some_and(|n| self.ends.borrow().len() >= n)
        }
        fn sending(&self, line: usize, name: &str) {
            self.events.borrow_mut().push(format!("send {line} {name}"));
        }
        fn ended(&self, line: usize, name: &str, end: RowEnd) {
            self.events.borrow_mut().push(format!("end {line} {name}"));
            self.ends.borrow_mut().push((line, name.to_owned(), end));
        }
    }

    fn creates(t: &FakeTransport) -> usize {
        t.actions()
            .iter()
            .filter(|a| a.starts_with("Create"))
            .count()
    }

    #[test]
    fn rows_are_paced_at_the_admins_rate_one_at_a_time() {
        let t = FakeTransport::new();
        t.ok(CREATED).ok(CREATED).ok(CREATED);
        let watch = Watch::default();
        let rows = rows(&["a.user01", "b.user01", "c.user01"]);
        assert!(run(import_rows(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            &rows,
            4,
            &watch
        )));
        assert_eq!(
            *t.slept_ms.borrow(),
            [250, 250, 250],
            "4 a second: 250 ms before each"
        );
        assert_eq!(
            *watch.events.borrow(),
            [
                "send 2 a.user01",
                "end 2 a.user01",
                "send 3 b.user01",
                "end 3 b.user01",
                "send 4 c.user01",
                "end 4 c.user01"
            ]
        );
        assert!(watch
            .ends
            .borrow()
            .iter()
            .all(|(_, _, e)| *e == RowEnd::Created));
        // The rate is held to 1..=10 a second.
        assert_eq!(pace_ms(0), 1000);
        assert_eq!(pace_ms(1), 1000);
        assert_eq!(pace_ms(10), 100);
        assert_eq!(pace_ms(50), 100);
    }

    #[test]
    fn throttled_then_done_is_retried_with_the_clients_backoff() {
        let t = FakeTransport::new();
        // Throttled; then a 5xx (ambiguous: the lookup finds nothing); then done.
        t.answer(400, THROTTLED)
            .answer(503, UNAVAILABLE)
            .ok(EMPTY)
            .ok(CREATED);
        let watch = Watch::default();
        let rows = rows(&["a.user01"]);
        assert!(run(import_rows(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            &rows,
            2,
            &watch
        )));
        assert_eq!(
            *t.slept_ms.borrow(),
            [
                500,
                backoff_ms(1, true, 0.0),
                500,
                backoff_ms(2, false, 0.0),
                500
            ],
            "the pace before every send, the client's backoff after each passing refusal"
        );
        assert_eq!(creates(&t), 3);
        assert_eq!(
            t.left(),
            0,
            "the 5xx was looked up before the create was sent again"
        );
        assert_eq!(watch.ends.borrow()[0].2, RowEnd::Created);
    }

    #[test]
    fn a_refusal_for_good_is_not_sent_again_and_the_run_goes_on() {
        let t = FakeTransport::new();
        t.answer(400, EXISTS).ok(CREATED);
        let watch = Watch::default();
        let rows = rows(&["a.user01", "b.user01"]);
        assert!(run(import_rows(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            &rows,
            10,
            &watch
        )));
        assert_eq!(creates(&t), 2);
        let ends = watch.ends.borrow();
        assert!(
            matches!(&ends[0].2, RowEnd::Failed(e) if e.error.code() == Some("SmartAccessGatewayClientUser.AlreadyExist"))
        );
        assert_eq!(ends[1].2, RowEnd::Created);
    }

    #[test]
    fn a_passing_refusal_gives_up_after_the_attempt_limit() {
        let t = FakeTransport::new();
        for _ in 0..MAX_WRITE_ATTEMPTS {
            t.answer(400, THROTTLED);
        }
        let watch = Watch::default();
        assert!(run(import_rows(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            &rows(&["a.user01"]),
            10,
            &watch
        )));
        assert_eq!(creates(&t) as u32, MAX_WRITE_ATTEMPTS);
        assert_eq!(t.left(), 0);
        assert!(
            matches!(&watch.ends.borrow()[0].2, RowEnd::Failed(e) if e.error.code() == Some("Throttling.User"))
        );
    }

    #[test]
    fn a_lost_answer_then_found_is_created_and_not_sent_again() {
        let t = FakeTransport::new();
        t.ok(CUT_OFF).ok(&found("a.user01"));
        let watch = Watch::default();
        assert!(run(import_rows(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            &rows(&["a.user01"]),
            10,
            &watch
        )));
        assert_eq!(
            t.actions(),
            [
                "CreateSmartAccessGatewayClientUser",
                "DescribeSmartAccessGatewayClientUsers"
            ]
        );
        assert_eq!(watch.ends.borrow()[0].2, RowEnd::Created);
    }

    #[test]
    fn a_lost_answer_that_did_not_land_is_sent_again() {
        let t = FakeTransport::new();
        t.ok(CUT_OFF).ok(EMPTY).ok(CREATED);
        let watch = Watch::default();
        assert!(run(import_rows(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            &rows(&["a.user01"]),
            10,
            &watch
        )));
        assert_eq!(
            creates(&t),
            2,
            "the lookup found nothing: safe to send again"
        );
        assert_eq!(watch.ends.borrow()[0].2, RowEnd::Created);
    }

    #[test]
    fn a_lost_answer_whose_lookup_failed_is_looked_at_again_before_any_resend() {
        // The create's answer is cut off; the lookup fails four times (a read
        // retries); after a pause the second lookup finds the user.
        let t = FakeTransport::new();
        t.ok(CUT_OFF);
        for _ in 0..crate::plumbing::client::MAX_READ_ATTEMPTS {
            t.answer(503, UNAVAILABLE);
        }
        t.ok(&found("a.user01"));
        let watch = Watch::default();
        assert!(run(import_rows(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            &rows(&["a.user01"]),
            10,
            &watch
        )));
        assert_eq!(creates(&t), 1, "never sent twice without knowing");
        assert!(t.slept_ms.borrow().contains(&RELOOK_DELAY_MS));
        assert_eq!(watch.ends.borrow()[0].2, RowEnd::Created);

        // The second lookup fails too: unknown, and the run goes on.
        let t = FakeTransport::new();
        t.ok(CUT_OFF);
        for _ in 0..2 * crate::plumbing::client::MAX_READ_ATTEMPTS {
            t.answer(503, UNAVAILABLE);
        }
        t.ok(CREATED);
        let watch = Watch::default();
        assert!(run(import_rows(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            &rows(&["a.user01", "b.user01"]),
            10,
            &watch
        )));
        let ends = watch.ends.borrow();
        assert!(
            matches!(&ends[0].2, RowEnd::Unknown(e) if e.error.kind() == sag_api::ErrorKind::Malformed)
        );
        assert_eq!(ends[1].2, RowEnd::Created);
        assert_eq!(creates(&t), 2);
    }

    #[test]
    fn a_paused_run_waits_and_a_stopped_run_sends_nothing_more() {
        let t = FakeTransport::new();
        t.ok(CREATED).ok(CREATED);
        let watch = Watch {
            pause_polls: Cell::new(3),
            stop_after: Some(2),
            ..Watch::default()
        };
        let rows = rows(&["a.user01", "b.user01", "c.user01", "d.user01"]);
        assert!(!run(import_rows(
            &client(&t, false),
            "cn-shanghai",
            "sag-1",
            &rows,
            10,
            &watch
        )));
        assert_eq!(
            *t.slept_ms.borrow(),
            [PAUSE_POLL_MS, PAUSE_POLL_MS, PAUSE_POLL_MS, 100, 100],
            "three polls while paused, then the pace"
        );
        assert_eq!(creates(&t), 2, "stopped halfway: rows 3 and 4 are not sent");
        assert_eq!(watch.events.borrow().len(), 4);
    }
}
