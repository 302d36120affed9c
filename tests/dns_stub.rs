//! Chapter 10's stub resolver against a test name server on 127.0.0.1
//! (`support/dns_responder.rs`): what it asks, what it makes of the
//! answers, and that it agrees with the C library's `getaddrinfo` on the
//! same answers (in the sandbox of `support/sandbox.rs`). No query ever goes
//! to a server outside this machine: every configuration names its
//! responders explicitly.

mod common;
#[path = "support/dns_responder.rs"]
mod dns_responder;
#[path = "support/sandbox.rs"]
mod sandbox;

use aio::{GaiError, Hosts, ResolverConfig, StubResolver};
use dns_responder::{Mode, Responder, Zone};
use std::cell::Cell;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::rc::Rc;
use std::time::Duration;

/// The wait for a server that answers: a hang guard, since answers on the
/// loopback come in milliseconds.
const ANSWERS: Duration = Duration::from_secs(10);
/// The wait for a server that will never answer: short, so that the tests
/// that wait it out are quick. Nothing that must arrive waits this long.
const SILENCE: Duration = Duration::from_millis(200);
/// How long any test's lookup may take before the test fails.
const HANG_GUARD: Duration = Duration::from_secs(30);

const A: u16 = 1;
const AAAA: u16 = 28;

fn zone() -> Zone {
    Zone::new()
        .a("both.test", "192.0.2.1")
        .aaaa("both.test", "2001:db8::1")
        .a("both.test", "192.0.2.2")
        .aaaa("both.test", "2001:db8::2")
        .a("v4only.test", "192.0.2.4")
        .aaaa("v6only.test", "2001:db8::6")
        .cname("alias.test", "mid.test")
        .cname("mid.test", "both.test")
        .exists("empty.test")
        .cname("alias4.test", "v4only.test")
        .cname("loop1.test", "loop2.test")
        .cname("loop2.test", "loop1.test")
        .a("fromhosts.test", "192.0.2.77")
        .a("www.two.test", "192.0.2.22")
        .a("echo.test", "127.0.0.1")
}

fn config(servers: &[&Responder], timeout: Duration) -> ResolverConfig {
    ResolverConfig {
        nameservers: servers.iter().map(|server| server.address()).collect(),
        timeout,
        attempts: 1,
        ..ResolverConfig::default()
    }
}

fn ips(list: &[&str]) -> Vec<IpAddr> {
    list.iter().map(|ip| ip.parse().expect("an address")).collect()
}

/// Runs `future` on a loop of its own, on the real clock, then closes it.
fn run<T: 'static>(
    event_loop: aio::EventLoop,
    future: impl Future<Output = T> + 'static,
) -> T {
    let output = event_loop.run_until_complete(future).expect("the loop runs");
    event_loop.close().expect("the loop closes");
    output
}

/// `host` looked up on a loop of its own.
fn lookup(config: ResolverConfig, host: &str) -> Result<Vec<IpAddr>, GaiError> {
    let resolver = StubResolver::new(config);
    let host = host.to_owned();
    run(common::real_loop(), async move {
        let lookup = resolver.lookup_ip(&host);
        aio::wait_for(lookup, HANG_GUARD).await.expect("the lookup hung")
    })
}

fn code(result: Result<Vec<IpAddr>, GaiError>) -> Option<i32> {
    result.expect_err("the lookup should fail").code()
}

const BOTH: [&str; 4] =
    ["2001:db8::1", "2001:db8::2", "192.0.2.1", "192.0.2.2"];

#[test]
fn both_families_are_asked_for_at_once_and_ipv6_comes_first() {
    let server = Responder::start(zone(), Mode::Answer);
    let found = lookup(config(&[&server], ANSWERS), "both.test").unwrap();
    assert_eq!(found, ips(&BOTH));
    let mut types: Vec<u16> = server.asked().iter().map(|q| q.qtype).collect();
    types.sort();
    assert_eq!(types, [A, AAAA]);
    assert!(server.asked().iter().all(|q| !q.tcp && q.name == "both.test"));
}

#[test]
fn a_lookup_asks_both_kinds_from_one_socket() {
    let server = Responder::start(zone(), Mode::Answer);
    let config = config(&[&server], ANSWERS);
    lookup(config.clone(), "both.test").unwrap();
    lookup(config, "both.test").unwrap();
    let asked = server.asked();
    assert_eq!(asked.len(), 4, "{asked:?}");
    // As glibc does: the A and AAAA queries of one lookup share a socket
    // (each with an id of its own), half the sockets of one per query.
    assert_eq!(asked[0].port, asked[1].port, "{asked:?}");
    assert_eq!(asked[2].port, asked[3].port, "{asked:?}");
}

#[test]
fn a_name_with_one_family_gives_that_family() {
    let server = Responder::start(zone(), Mode::Answer);
    let v4 = lookup(config(&[&server], ANSWERS), "v4only.test").unwrap();
    assert_eq!(v4, ips(&["192.0.2.4"]));
    let v6 = lookup(config(&[&server], ANSWERS), "V6ONLY.test.").unwrap();
    assert_eq!(v6, ips(&["2001:db8::6"]));
}

#[test]
fn a_cname_chain_in_the_answer_is_followed() {
    let server = Responder::start(zone(), Mode::Answer);
    let found = lookup(config(&[&server], ANSWERS), "alias.test").unwrap();
    assert_eq!(found, ips(&BOTH));
    assert_eq!(server.queries(), 2);
}

#[test]
fn a_chain_that_leaves_the_answer_is_asked_for_link_by_link() {
    let server = Responder::start(zone(), Mode::AnswerOneLink);
    let found = lookup(config(&[&server], ANSWERS), "alias.test").unwrap();
    assert_eq!(found, ips(&BOTH));
    let mut names: Vec<String> =
        server.asked().into_iter().map(|q| q.name).collect();
    names.sort();
    let asked = ["alias.test", "alias.test", "both.test", "both.test"];
    let mut expected: Vec<String> = asked.map(String::from).to_vec();
    expected.extend(["mid.test", "mid.test"].map(String::from));
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn a_cname_loop_ends_the_lookup_whether_in_one_answer_or_many() {
    for mode in [Mode::Answer, Mode::AnswerOneLink] {
        let server = Responder::start(zone(), mode);
        let result = lookup(config(&[&server], ANSWERS), "loop1.test");
        // glibc's code for a loop.
        assert_eq!(code(result), Some(libc::EAI_NONAME), "{mode:?}");
        // At most one query per link followed, and the first, per kind.
        assert!(server.queries() <= 2 * 9, "{mode:?}: {}", server.queries());
    }
}

#[test]
fn a_name_that_does_not_exist_is_eai_noname() {
    let server = Responder::start(zone(), Mode::Answer);
    let result = lookup(config(&[&server], ANSWERS), "missing.test");
    assert_eq!(code(result), Some(libc::EAI_NONAME));
}

#[test]
fn a_name_without_addresses_is_eai_nodata() {
    let server = Responder::start(zone(), Mode::Answer);
    let result = lookup(config(&[&server], ANSWERS), "empty.test");
    assert_eq!(code(result), Some(libc::EAI_NODATA));
}

#[test]
fn servers_that_fail_or_refuse_are_eai_again() {
    for mode in [Mode::ServFail, Mode::Refused] {
        let server = Responder::start(zone(), mode);
        let result = lookup(config(&[&server], ANSWERS), "both.test");
        assert_eq!(code(result), Some(libc::EAI_AGAIN), "{mode:?}");
    }
}

#[test]
fn a_server_that_fails_or_refuses_is_passed_over_for_the_next() {
    for mode in [Mode::ServFail, Mode::Refused] {
        let failing = Responder::start(zone(), mode);
        let good = Responder::start(zone(), Mode::Answer);
        let config = config(&[&failing, &good], ANSWERS);
        assert_eq!(lookup(config, "both.test").unwrap(), ips(&BOTH));
        assert_eq!((failing.queries(), good.queries()), (2, 2), "{mode:?}");
    }
}

#[test]
fn a_truncated_answer_is_asked_for_again_over_tcp() {
    let server = Responder::start(zone(), Mode::TruncateUdp);
    let found = lookup(config(&[&server], ANSWERS), "both.test").unwrap();
    assert_eq!(found, ips(&BOTH));
    let over_tcp: Vec<u16> =
        server.asked().iter().filter(|q| q.tcp).map(|q| q.qtype).collect();
    assert_eq!(over_tcp.len(), 2, "{:?}", server.asked());
}

#[test]
fn datagrams_that_are_not_the_answer_are_ignored_and_the_wait_goes_on() {
    let server = Responder::start(zone(), Mode::WrongIdFirst);
    let found = lookup(config(&[&server], ANSWERS), "v4only.test").unwrap();
    assert_eq!(found, ips(&["192.0.2.4"]), "a decoy's address was taken");
    assert_eq!(server.queries(), 2);
}

#[test]
fn a_silent_server_is_waited_for_then_the_next_is_asked() {
    let silent = Responder::start(zone(), Mode::Silent);
    let good = Responder::start(zone(), Mode::Answer);
    // The silent server costs one timeout, which the good one must beat: a
    // generous one, not SILENCE.
    let config = config(&[&silent, &good], Duration::from_secs(3));
    assert_eq!(lookup(config, "both.test").unwrap(), ips(&BOTH));
    assert_eq!((silent.queries(), good.queries()), (2, 2));
}

#[test]
fn when_every_server_is_silent_each_is_asked_attempts_times_then_eai_again() {
    let first = Responder::start(zone(), Mode::Silent);
    let second = Responder::start(zone(), Mode::Silent);
    let mut config = config(&[&first, &second], SILENCE);
    config.attempts = 2;
    let result = lookup(config, "both.test");
    assert_eq!(code(result), Some(libc::EAI_AGAIN));
    // Two attempts, for each of the two kinds of address.
    assert_eq!((first.queries(), second.queries()), (4, 4));
    // Each from a socket of its own, with an id of its own: eight the same
    // would be chance once in 2^112 for the ids.
    let asked = [first.asked(), second.asked()].concat();
    let distinct = |values: Vec<u16>| {
        values.iter().collect::<std::collections::HashSet<_>>().len()
    };
    assert!(distinct(asked.iter().map(|q| q.id).collect()) > 1);
    assert!(distinct(asked.iter().map(|q| q.port).collect()) > 1);
}

#[test]
fn a_query_that_went_unanswered_is_asked_again_with_a_new_id() {
    let server = Responder::start(zone(), Mode::DropFirst);
    let mut config = config(&[&server], Duration::from_secs(3));
    config.attempts = 2;
    assert_eq!(lookup(config, "v4only.test").unwrap(), ips(&["192.0.2.4"]));
    assert_eq!(server.queries(), 4);
}

#[test]
fn a_server_nobody_listens_on_is_passed_over_without_waiting() {
    // A port with nobody on it: the kernel answers "port unreachable".
    let closed = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let nobody = closed.local_addr().unwrap();
    drop(closed);
    let good = Responder::start(zone(), Mode::Answer);
    // A timeout longer than the hang guard: waiting it out fails the test.
    let mut config = config(&[&good], HANG_GUARD * 2);
    config.nameservers.insert(0, nobody);
    assert_eq!(lookup(config, "both.test").unwrap(), ips(&BOTH));
}

#[test]
fn a_name_in_the_hosts_table_costs_no_query() {
    let server = Responder::start(zone(), Mode::Answer);
    let mut config = config(&[&server], ANSWERS);
    config.hosts =
        Hosts::parse("192.0.2.9 fromhosts.test\n2001:db8::9 FromHosts.Test\n");
    let found = lookup(config, "fromhosts.test").unwrap();
    assert_eq!(found, ips(&["2001:db8::9", "192.0.2.9"]));
    assert_eq!(server.queries(), 0);
}

#[test]
fn bad_names_are_refused_before_any_query() {
    let server = Responder::start(zone(), Mode::Answer);
    let long_label = format!("{}.test", "a".repeat(64));
    for name in ["", "a\0b.test", long_label.as_str(), "a..test"] {
        let error = lookup(config(&[&server], ANSWERS), name).unwrap_err();
        assert_eq!(error.code(), None, "{error}");
    }
    assert_eq!(server.queries(), 0);
}

#[test]
fn a_short_name_is_tried_with_each_search_domain_first() {
    let server = Responder::start(zone(), Mode::Answer);
    let mut config = config(&[&server], ANSWERS);
    config.search = vec!["one.test".into(), "two.test".into()];
    assert_eq!(lookup(config, "www").unwrap(), ips(&["192.0.2.22"]));
    let mut names: Vec<String> =
        server.asked().into_iter().map(|q| q.name).collect();
    names.dedup();
    assert_eq!(names, ["www.one.test", "www.two.test"]);
}

#[test]
fn a_name_with_ndots_dots_is_tried_as_it_is_first() {
    let server = Responder::start(zone(), Mode::Answer);
    let mut config = config(&[&server], ANSWERS);
    config.search = vec!["one.test".into()];
    let found = lookup(config, "www.two.test").unwrap();
    assert_eq!(found, ips(&["192.0.2.22"]));
    assert!(server.asked().iter().all(|q| q.name == "www.two.test"));
}

#[test]
fn the_loop_keeps_running_other_tasks_while_a_lookup_waits() {
    let server = Rc::new(Responder::start(zone(), Mode::Answer));
    server.hold(); // until the other task has run
    let resolver = StubResolver::new(config(&[&server], ANSWERS));
    let ticks = Rc::new(Cell::new(0));
    let (ticker_server, ticker_ticks) = (server.clone(), ticks.clone());
    let ticks_at_answer = run(common::real_loop(), async move {
        let ticker = aio::spawn(async move {
            for _ in 0..3 {
                aio::sleep(Duration::from_millis(1)).await;
                ticker_ticks.set(ticker_ticks.get() + 1);
            }
            ticker_server.release();
        })
        .unwrap();
        let lookup = resolver.lookup_ip("both.test");
        let found = aio::wait_for(lookup, HANG_GUARD).await.unwrap();
        assert_eq!(found.unwrap(), ips(&BOTH));
        // Read now: a lookup that blocked the loop would get here (after
        // the responder's own guard) before the other task ever ran.
        let ticks_at_answer = ticks.get();
        ticker.await.unwrap();
        ticks_at_answer
    });
    assert_eq!(ticks_at_answer, 3);
}

// ANCHOR: choose_stub
#[test]
fn open_connection_by_name_goes_through_the_stub_resolver() {
    let server = Responder::start(zone(), Mode::Answer);
    let event_loop = common::real_loop();
    event_loop.set_resolver(StubResolver::new(config(&[&server], ANSWERS)));
    async fn echo(reader: aio::StreamReader, writer: aio::StreamWriter) {
        if let Ok(data) = reader.read(100).await {
            let _ = writer.write(&data);
        }
        writer.close();
    }
    let echoed = run(event_loop, async {
        let listener = aio::start_server(echo, "127.0.0.1", 0).await?;
        let (reader, writer) =
            aio::open_connection("echo.test", listener.port()).await?;
        writer.write(b"by name")?;
        let echoed = reader.read(100).await?;
        writer.close();
        listener.close();
        Ok::<_, Box<dyn std::error::Error>>(echoed)
    })
    .unwrap();
    assert_eq!(echoed, b"by name");
    assert_eq!(server.queries(), 2);
}
// ANCHOR_END: choose_stub

#[test]
fn the_resolver_seam_gets_addresses_with_the_port() {
    let server = Responder::start(zone(), Mode::Answer);
    let event_loop = common::real_loop();
    event_loop.set_resolver(StubResolver::new(config(&[&server], ANSWERS)));
    let resolver = event_loop.resolver();
    let (found, missing) = run(event_loop, async move {
        let found = resolver.resolve("v6only.test", 443).await;
        (found, resolver.resolve("missing.test", 443).await)
    });
    let expected: SocketAddr = "[2001:db8::6]:443".parse().unwrap();
    assert_eq!(found.unwrap(), [expected]);
    let missing = missing.unwrap_err();
    let inner = missing.get_ref().and_then(|e| e.downcast_ref::<GaiError>());
    assert_eq!(inner.and_then(GaiError::code), Some(libc::EAI_NONAME));
}

/// What a lookup gave, comparable across the two resolvers: the addresses
/// in order, or the `EAI_*` code.
type Outcome = Result<Vec<IpAddr>, Option<i32>>;

/// The C library's answer, through `aio::getaddrinfo` (a worker thread).
async fn by_the_c_library(host: &str) -> Outcome {
    let hints = aio::Hints {
        socket_type: aio::SocketType::Stream,
        ..aio::Hints::default()
    };
    match aio::getaddrinfo(host, 80, hints).await {
        Ok(entries) => Ok(entries.iter().map(|e| e.address.ip()).collect()),
        Err(error) => Err(error.code()),
    }
}

/// Inside the sandbox: starts a responder in `mode` on 127.0.0.1:53, looks
/// each of `names` up with the C library and with a stub resolver that
/// reads the sandbox's `/etc`, and checks that the two give the same
/// addresses in the same order, or the same error code. (A responder
/// stops when dropped, so each call gets the port to itself.)
fn compare_with_the_c_library(mode: Mode, names: &[&'static str]) {
    let _server = Responder::start_on("127.0.0.1:53", zone(), mode);
    compare_outcomes(names);
}

/// Looks each of `names` up both ways, and checks that they agree.
fn compare_outcomes(names: &[&'static str]) {
    let stub = StubResolver::from_system().expect("the sandbox's /etc");
    let names = names.to_vec();
    let outcomes = run(common::real_loop(), async move {
        let mut outcomes = Vec::new();
        for name in names {
            let c_library = by_the_c_library(name).await;
            let ours = stub.lookup_ip(name).await.map_err(|e| e.code());
            outcomes.push((name, c_library, ours));
        }
        outcomes
    });
    for (name, c_library, ours) in &outcomes {
        println!("{name}: C library {c_library:?}, stub {ours:?}");
    }
    for (name, c_library, ours) in outcomes {
        assert_eq!(ours, c_library, "{name}: the stub differs from glibc");
    }
}

/// Runs `test` again in a sandbox whose `/etc/resolv.conf` is `resolv_conf`
/// and whose `/etc/hosts` is `hosts`.
fn in_sandbox(test: &str, resolv_conf: &str, hosts: &str) {
    let sandbox = sandbox::Sandbox {
        resolv_conf: resolv_conf.into(),
        hosts: Some(hosts.into()),
    };
    sandbox.rerun_test(test);
}

const SANDBOX_HOSTS: &str = "127.0.0.1 localhost\n::1 localhost\n\
    192.0.2.50 fromhosts.test\n2001:db8::50 fromhosts.test\n\
    192.0.2.51 fromhosts.test\n";

#[test]
fn the_stub_and_the_c_library_agree_on_hosts_names_and_answers() {
    if !sandbox::inside() {
        let resolv_conf =
            "nameserver 127.0.0.1\noptions timeout:5 attempts:2\n";
        return in_sandbox(
            "the_stub_and_the_c_library_agree_on_hosts_names_and_answers",
            resolv_conf,
            SANDBOX_HOSTS,
        );
    }
    compare_with_the_c_library(
        Mode::Answer,
        &[
            "both.test",
            "v4only.test",
            "v6only.test",
            "alias.test",
            "alias4.test",
            "loop1.test",
            "missing.test",
            "empty.test",
            "fromhosts.test",
            "FromHosts.Test",
            // glibc does not find a name with a trailing dot in a hosts
            // file without one, and asks the name server.
            "fromhosts.test.",
            "localhost",
        ],
    );
}

#[test]
fn the_stub_and_the_c_library_agree_on_search_domains() {
    if !sandbox::inside() {
        let resolv_conf = "nameserver 127.0.0.1\nsearch one.test two.test\n\
                           options timeout:5 attempts:2 ndots:2\n";
        return in_sandbox(
            "the_stub_and_the_c_library_agree_on_search_domains",
            resolv_conf,
            SANDBOX_HOSTS,
        );
    }
    compare_with_the_c_library(
        Mode::Answer,
        &["www", "www.two.test", "www.two", "both.test", "nowhere"],
    );
}

#[test]
fn the_stub_and_the_c_library_agree_on_failing_servers() {
    if !sandbox::inside() {
        let resolv_conf =
            "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n";
        return in_sandbox(
            "the_stub_and_the_c_library_agree_on_failing_servers",
            resolv_conf,
            SANDBOX_HOSTS,
        );
    }
    compare_with_the_c_library(Mode::ServFail, &["both.test"]);
    compare_with_the_c_library(Mode::Refused, &["both.test"]);
    compare_with_the_c_library(Mode::Silent, &["both.test"]);
    compare_outcomes(&["both.test"]); // nobody on port 53 at all
}

#[test]
fn the_stub_and_the_c_library_agree_on_the_environments_search_list() {
    let test =
        "the_stub_and_the_c_library_agree_on_the_environments_search_list";
    if !sandbox::inside() {
        let sandbox = sandbox::Sandbox {
            resolv_conf: "nameserver 127.0.0.1\nsearch one.test\n\
                          options timeout:5 attempts:2\n"
                .into(),
            hosts: Some(SANDBOX_HOSTS.into()),
        };
        let this = std::env::current_exe().expect("the test binary");
        let args = ["--exact", test, "--nocapture", "--test-threads=1"];
        let output = sandbox
            .command(&this, &args)
            .env("LOCALDOMAIN", "two.test")
            .env("RES_OPTIONS", "ndots:2")
            .output()
            .expect("unshare runs");
        sandbox::assert_success(&output, test);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("1 passed"), "no test ran:\n{stdout}");
        return;
    }
    compare_with_the_c_library(Mode::Answer, &["www", "www.two", "both.test"]);
}

#[test]
fn the_stub_and_the_c_library_agree_on_servers_that_misbehave() {
    let test = "the_stub_and_the_c_library_agree_on_servers_that_misbehave";
    if !sandbox::inside() {
        // The second attempt (or TCP) must beat the timeout: 2 s, where
        // answers take milliseconds. Each dropped query costs one wait.
        let resolv_conf =
            "nameserver 127.0.0.1\noptions timeout:2 attempts:2\n";
        return in_sandbox(test, resolv_conf, SANDBOX_HOSTS);
    }
    let names = ["both.test", "alias.test", "missing.test"];
    compare_with_the_c_library(Mode::TruncateUdp, &names);
    compare_with_the_c_library(Mode::WrongIdFirst, &names);
    compare_with_the_c_library(Mode::DropFirst, &names);
}
