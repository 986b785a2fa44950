//! The one loop every bulk run uses (delete, enable, disable, bandwidth, in
//! both areas): one name after the other, never in parallel (the services
//! throttle bursts), asking before each whether to stop.

use super::Mutation;

/// Runs `each` for every name, one after the other, calling `progress`
/// before each; every outcome, in order. Before each name `stop` is asked:
/// once it says stop (Stop pressed, the page left, the keys forgotten)
/// nothing more is sent, and the names left have no outcome.
pub async fn one_by_one(
    names: &[String],
    progress: &dyn Fn(usize, &str),
    stop: &dyn Fn() -> bool,
    each: impl AsyncFn(&str) -> Mutation<()>,
) -> Vec<(String, Mutation<()>)> {
    let mut results = Vec::with_capacity(names.len());
    for (n, name) in names.iter().enumerate() {
        if stop() {
            break;
        }
        progress(n, name);
        results.push((name.clone(), each(name).await));
    }
    results
}

/// The names of a run that were not sent: every name without an outcome.
pub fn not_done<T>(names: &[String], outcomes: &[(String, T)]) -> Vec<String> {
    names[outcomes.len().min(names.len())..].to_vec()
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};

    use super::*;
    use crate::plumbing::client::fake::run;

    fn names() -> Vec<String> {
        ["a", "b", "c", "d"].map(String::from).to_vec()
    }

    #[test]
    fn every_name_in_order_with_progress_before_each() {
        let heard = RefCell::new(Vec::new());
        let sent = RefCell::new(Vec::new());
        let results = run(one_by_one(
            &names(),
            &|n, name| heard.borrow_mut().push(format!("{n}:{name}")),
            &|| false,
            async |name: &str| {
                sent.borrow_mut().push(format!("sent {name}"));
                Mutation::Done(())
            },
        ));
        assert_eq!(*heard.borrow(), ["0:a", "1:b", "2:c", "3:d"]);
        assert_eq!(sent.borrow().len(), 4);
        assert_eq!(
            results.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c", "d"]
        );
        assert!(not_done(&names(), &results).is_empty());
    }

    #[test]
    fn stopped_halfway_nothing_more_is_sent_and_the_rest_is_not_done() {
        let asked = Cell::new(0);
        let sent = Cell::new(0);
        let results = run(one_by_one(
            &names(),
            &|_, _| {},
            // Stop is pressed while b is being sent.
            &|| {
                asked.set(asked.get() + 1);
                asked.get() > 2
            },
            async |_: &str| {
                sent.set(sent.get() + 1);
                Mutation::Done(())
            },
        ));
        assert_eq!(sent.get(), 2);
        assert_eq!(results.len(), 2);
        assert_eq!(not_done(&names(), &results), ["c", "d"]);
        assert_eq!(not_done::<()>(&names(), &[]), names());
    }
}
