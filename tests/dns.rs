//! Chapter 10: name lookups never block the loop. The resolver seam of
//! chapter 7, the thread resolver of chapter 10 behind it, and the
//! awaitable `getaddrinfo` and `getnameinfo`.
//!
//! No test here sends a query anywhere: the names are IP literals, names a
//! test's own resolver answers, names the C library finds in `/etc/hosts`
//! (`localhost`), or names refused before any lookup.

mod common;

use aio::{
    GaiError, GaiReason, Hints, Resolver, Resolving, SocketType, ThreadResolver,
};
use common::real_loop;
use std::cell::{Cell, RefCell};
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

/// A resolver whose lookup sleeps `delay` on its worker thread, then answers
/// 127.0.0.1 for any name.
fn slow_resolver(delay: Duration) -> ThreadResolver {
    ThreadResolver::with_lookup(move |_host, port| {
        std::thread::sleep(delay);
        Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))])
    })
}

/// Runs `future` on a new real-clock loop that uses `resolver`, and closes
/// the loop.
fn run_with<T: 'static>(
    resolver: impl Resolver,
    future: impl std::future::Future<Output = T> + 'static,
) -> T {
    run_on(real_loop(), resolver, future)
}

/// Runs `future` on `event_loop`, using `resolver`, and closes the loop.
fn run_on<T: 'static>(
    event_loop: aio::EventLoop,
    resolver: impl Resolver,
    future: impl std::future::Future<Output = T> + 'static,
) -> T {
    event_loop.set_resolver(resolver);
    let output = event_loop.run_until_complete(future).unwrap();
    event_loop.close().unwrap();
    output
}

/// A server on a free loopback port that accepts and holds connections.
async fn listening_server() -> aio::Server {
    aio::start_server(
        |_reader, writer| async move { writer.close() },
        "127.0.0.1",
        0,
    )
    .await
    .expect("listen on loopback")
}

/// The longest gap between the ticks of a 10 ms ticker while the loop,
/// using `resolver`, opens a connection by name.
fn longest_tick_gap_during_a_lookup(resolver: impl Resolver) -> Duration {
    run_with(resolver, async {
        let server = listening_server().await;
        let lookup_done = Rc::new(Cell::new(false));
        let done = lookup_done.clone();
        let ticker = aio::spawn(async move {
            let event_loop = aio::get_running_loop().unwrap();
            let (mut last, mut longest) = (event_loop.time(), Duration::ZERO);
            while !done.get() {
                aio::sleep(Duration::from_millis(10)).await;
                let now = event_loop.time();
                longest = longest.max(now - last);
                last = now;
            }
            longest
        })
        .unwrap();
        // Let the ticker tick before the lookup starts.
        aio::sleep(Duration::from_millis(50)).await;
        let (_reader, writer) =
            aio::open_connection("slow.test", server.port())
                .await
                .expect("connected through the resolver's answer");
        writer.close();
        lookup_done.set(true);
        ticker.await.unwrap()
    })
}

// ANCHOR: ticker_keeps_pace
#[test]
fn a_lookup_that_blocks_for_two_seconds_does_not_stop_a_ten_ms_ticker() {
    let resolver = slow_resolver(Duration::from_secs(2));
    let longest_gap = longest_tick_gap_during_a_lookup(resolver);
    // On the loop's thread, the lookup would leave one gap of two seconds.
    assert!(
        longest_gap < Duration::from_secs(1),
        "the ticker stalled for {longest_gap:?} during the lookup"
    );
}
// ANCHOR_END: ticker_keeps_pace

// ANCHOR: wait_for_times_out
#[test]
fn wait_for_open_connection_by_name_times_out_at_one_second() {
    let resolver = slow_resolver(Duration::from_secs(2));
    let (outcome, waited) = run_with(resolver, async {
        let started = aio::get_running_loop().unwrap().time();
        let outcome = aio::wait_for(
            aio::open_connection("slow.test", 9),
            Duration::from_secs(1),
        )
        .await;
        let waited = aio::get_running_loop().unwrap().time() - started;
        (outcome.map(|_| "connected"), waited)
    });
    assert!(matches!(outcome, Err(aio::Error::TimedOut)), "{outcome:?}");
    // Never early, and not after the lookup's two seconds.
    assert!(waited >= Duration::from_secs(1), "{waited:?}");
    assert!(waited < Duration::from_secs(2), "{waited:?}");
}
// ANCHOR_END: wait_for_times_out

/// Chapter 7's way, for contrast: a lookup that blocks on the loop's thread.
struct BlockingOnTheLoop(Duration);

impl Resolver for BlockingOnTheLoop {
    fn resolve(&self, _host: &str, port: u16) -> Resolving {
        std::thread::sleep(self.0);
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        Box::pin(std::future::ready(Ok(vec![address])))
    }
}

#[test]
fn a_lookup_on_the_loops_thread_stops_the_ticker_for_as_long() {
    let blocking = BlockingOnTheLoop(Duration::from_millis(500));
    let longest_gap = longest_tick_gap_during_a_lookup(blocking);
    assert!(longest_gap >= Duration::from_millis(500), "{longest_gap:?}");
}

/// A resolver that answers from a table, on the loop's thread, and counts the
/// names it was asked.
#[derive(Clone, Default)]
struct TableResolver {
    asked: Rc<RefCell<Vec<String>>>,
}

impl Resolver for TableResolver {
    fn resolve(&self, host: &str, port: u16) -> Resolving {
        self.asked.borrow_mut().push(host.to_owned());
        let answer = match host {
            "service.test" => {
                Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))])
            }
            _ => {
                Err(io::Error::new(io::ErrorKind::NotFound, "not in the table"))
            }
        };
        Box::pin(std::future::ready(answer))
    }
}

struct NoDatagrams;
impl aio::DatagramProtocol for NoDatagrams {}

#[test]
fn every_lookup_in_the_runtime_goes_through_the_loops_resolver() {
    let resolver = TableResolver::default();
    run_with(resolver.clone(), async {
        let server = aio::start_server(
            |_r, w| async move { w.close() },
            "service.test",
            0,
        )
        .await
        .expect("listen by name");
        let port = server.port();
        let (_reader, writer) =
            aio::open_connection("service.test", port).await.unwrap();
        writer.close();
        let (udp, _) = aio::create_datagram_endpoint(
            NoDatagrams,
            Some(("service.test", 0)),
            Some(("service.test", port)),
        )
        .await
        .unwrap();
        udp.close();
        let missing = aio::open_connection("missing.test", port).await;
        assert_eq!(
            missing.err().map(|error| error.kind()),
            Some(io::ErrorKind::NotFound)
        );
        server.close();
    });
    let asked = resolver.asked.borrow();
    assert_eq!(asked.len(), 5, "{asked:?}");
    assert!(asked[..4].iter().all(|name| name == "service.test"), "{asked:?}");
    assert_eq!(asked[4], "missing.test");
}

#[test]
fn ip_addresses_never_reach_the_resolver() {
    let resolver = TableResolver::default();
    run_with(resolver.clone(), async {
        let server = listening_server().await;
        let (_reader, writer) =
            aio::open_connection("127.0.0.1", server.port()).await.unwrap();
        writer.close();
        let endpoint = aio::create_datagram_endpoint(
            NoDatagrams,
            Some(("::", 0)),
            Some(("::1", 9)),
        )
        .await;
        // A machine without IPv6 refuses `::1`, after no lookup either.
        if let Ok((udp, _)) = endpoint {
            udp.close();
        }
        server.close();
    });
    assert!(resolver.asked.borrow().is_empty(), "{:?}", resolver.asked);
}

#[test]
fn a_panicking_lookup_is_an_error_and_the_loop_goes_on() {
    let resolver = ThreadResolver::with_lookup(|host, _| {
        panic!("the lookup of {host} panicked (on purpose)")
    });
    let (error, after) = run_with(resolver, async {
        let outcome = aio::open_connection("boom.test", 9).await;
        let error = outcome.map(|_| ()).expect_err("no connection");
        aio::sleep(Duration::from_millis(1)).await; // the loop still runs
        (error, 7)
    });
    let gai = error.get_ref().and_then(|e| e.downcast_ref::<GaiError>());
    assert_eq!(gai.and_then(GaiError::code), Some(eai_fail()), "{error}");
    assert!(error.to_string().contains("boom.test"), "{error}");
    assert_eq!(after, 7);
}

/// `EAI_FAIL`, as glibc numbers it.
fn eai_fail() -> i32 {
    -4
}

#[test]
fn the_default_resolver_finds_localhost() {
    let addresses = aio::run(async {
        let resolver = aio::get_running_loop().unwrap().resolver();
        resolver.resolve("localhost", 80).await
    })
    .unwrap()
    .unwrap();
    assert!(!addresses.is_empty());
    assert!(addresses.iter().all(|a| a.ip().is_loopback() && a.port() == 80));
}

#[test]
fn names_that_could_never_resolve_are_refused_before_any_lookup() {
    let long_label = format!("{}.test", "x".repeat(64));
    let cases =
        [("", "empty"), ("a\0b", "NUL"), (long_label.as_str(), "63 bytes")];
    for (name, reason) in cases {
        let owned = name.to_owned();
        let (error, io_error) = aio::run(async move {
            let error = aio::getaddrinfo(&owned, 443, Hints::default()).await;
            let io_error = aio::open_connection(&owned, 443).await;
            (error.unwrap_err(), io_error.map(|_| ()).expect_err("refused"))
        })
        .unwrap();
        assert!(matches!(error.reason(), GaiReason::InvalidName(_)), "{error}");
        assert!(error.to_string().contains(reason), "{error}");
        assert_eq!(error.name(), name);
        // Through the seam, an `io::Error` of kind `InvalidInput`.
        assert_eq!(io_error.kind(), io::ErrorKind::InvalidInput, "{io_error}");
    }
}

#[test]
fn an_unknown_service_name_is_eai_service() {
    let stream = Hints { socket_type: SocketType::Stream, ..Hints::default() };
    let error =
        aio::run(aio::getaddrinfo("localhost", "no-such-service", stream))
            .unwrap()
            .unwrap_err();
    let blocking = aio::getaddrinfo_blocking(
        "localhost",
        &"no-such-service".into(),
        stream,
    );
    assert_eq!(Err(error.clone()), blocking);
    assert_eq!(error.code(), Some(-8), "EAI_SERVICE: {error}");
    assert_eq!(error.name(), "no-such-service", "the service is what failed");
    assert!(error.to_string().contains("/etc/services"), "{error}");
}

#[test]
fn getaddrinfo_and_getnameinfo_answer_for_localhost_and_https() {
    let stream = Hints { socket_type: SocketType::Stream, ..Hints::default() };
    let (entries, names) = aio::run(async move {
        let entries = aio::getaddrinfo("localhost", "https", stream).await;
        let address = "127.0.0.1:443".parse().unwrap();
        (entries, aio::getnameinfo(address, 0).await)
    })
    .unwrap();
    let entries = entries.unwrap();
    assert!(entries.iter().all(|e| e.address.port() == 443));
    assert!(entries.iter().any(|e| e.address.ip().is_loopback()));
    assert_eq!(names.unwrap().1, "https");
}

/// On the virtual clock: a lookup on a thread that takes `delay`, under a
/// `wait_for` of `timeout`; its answer, and the virtual time it took.
fn virtual_lookup_under_a_timeout(
    delay: Duration,
    timeout: Duration,
) -> (Result<Vec<SocketAddr>, String>, Duration) {
    let resolver = slow_resolver(delay);
    run_on(common::virtual_loop(), resolver, async move {
        let event_loop = aio::get_running_loop().unwrap();
        let started = event_loop.time();
        let lookup = event_loop.resolver().resolve("slow.test", 80);
        let answer = match aio::wait_for(lookup, timeout).await {
            Ok(found) => found.map_err(|error| error.to_string()),
            Err(error) => Err(error.to_string()),
        };
        (answer, event_loop.time() - started)
    })
}

#[test]
fn on_the_virtual_clock_a_timeout_waits_for_a_threads_answer() {
    let (answer, waited) = virtual_lookup_under_a_timeout(
        Duration::from_millis(100),
        Duration::from_secs(5),
    );
    // The timer would have been jumped to at once, before the answer came.
    assert_eq!(answer, Ok(vec![SocketAddr::from(([127, 0, 0, 1], 80))]));
    assert_eq!(
        waited,
        Duration::ZERO,
        "a thread's answer takes no virtual time"
    );
}

#[test]
fn on_the_virtual_clock_a_timer_still_beats_a_slower_thread() {
    let (answer, waited) = virtual_lookup_under_a_timeout(
        Duration::from_secs(2),
        Duration::from_millis(200),
    );
    let timed_out = aio::Error::TimedOut.to_string();
    assert_eq!(answer, Err(timed_out));
    assert_eq!(
        waited,
        Duration::from_millis(200),
        "exactly, on the virtual clock"
    );
}
