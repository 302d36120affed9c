//! The first cut: a blocking lookup on a thread of its own, its answer
//! handed back through `aio::oneshot`, while the loop goes on running
//! other tasks. In the sandbox, with its hosts file.

mod common;

use ch10_dns::first_cut::{lookup, off_the_loop};
use common::{inside_sandbox, start_empty_name_server};
use std::net::ToSocketAddrs;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// What the tasks and the thread did, in order.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn say(&self, line: impl Into<String>) {
        self.0.lock().unwrap().push(line.into());
    }

    fn lines(&self) -> String {
        self.0.lock().unwrap().join("\n")
    }
}

// ANCHOR: ticker
/// Ticks three times, a tenth of a second apart, then lets the worker go.
async fn ticker(log: Log, go: mpsc::Sender<()>) {
    for tick in 1..=3 {
        aio::sleep(Duration::from_millis(100)).await;
        let now = aio::get_running_loop().unwrap().time();
        log.say(format!("ticker: tick {tick} at {now:?}"));
    }
    go.send(()).unwrap();
}

async fn main_task(log: Log) {
    let (go, wait_for_go) = mpsc::channel();
    let ticking = aio::spawn(ticker(log.clone(), go)).unwrap();
    log.say("main: looking up printer.lan on a thread");
    let worker = log.clone();
    let answer = off_the_loop(move || {
        wait_for_go.recv().unwrap(); // so that the output is always the same
        worker.say("worker: asking the C library");
        ("printer.lan", 443).to_socket_addrs().map(Vec::from_iter)
    });
    let addresses = answer.await.unwrap().unwrap();
    log.say(format!("main: printer.lan is {addresses:?}"));
    ticking.await.unwrap();
}
// ANCHOR_END: ticker

#[test]
fn the_loop_ticks_while_a_thread_looks_up() {
    if !inside_sandbox("the_loop_ticks_while_a_thread_looks_up") {
        return;
    }
    let log = Log::default();
    let event_loop = aio::EventLoop::builder().virtual_clock().build().unwrap();
    event_loop.run_until_complete(main_task(log.clone())).unwrap();
    event_loop.close().unwrap();
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("first_cut_lookup", log.lines());
    });
}

#[test]
fn lookup_answers_from_the_hosts_file_or_says_why_not() {
    if !inside_sandbox("lookup_answers_from_the_hosts_file_or_says_why_not") {
        return;
    }
    let _names = start_empty_name_server();
    let (found, missing) = aio::run(async {
        (lookup("printer.lan", 443).await, lookup("nowhere.invalid", 443).await)
    })
    .unwrap();
    assert_eq!(found.unwrap(), ["10.0.0.7:443".parse().unwrap()]);
    let error = missing.unwrap_err().to_string();
    assert!(error.contains("Name or service not known"), "{error}");
}
