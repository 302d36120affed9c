//! Name lookups: 1,000 names, each looked up once, all served by a name
//! server this benchmark starts on 127.0.0.1:53. It runs in a sandbox of its
//! own (new user, mount and network namespaces, `tests/support/sandbox.rs`):
//! the C library there reads a `resolv.conf` that points at that server, and
//! no query can leave the machine. Every name is new, so nothing answers
//! from a cache; every lookup is a real query over UDP.
//!
//! The contenders, each once with one lookup at a time and once with 100 in
//! flight at once:
//!
//! - aio's `getaddrinfo`, the C library's on a new thread per lookup;
//! - aio's stub resolver, which asks the name server itself, on the loop;
//! - tokio's `lookup_host` (the C library on its blocking pool) and smol's
//!   `resolve` (the same on its blocking pool);
//! - Python's `loop.getaddrinfo` (the default executor) and uvloop's
//!   (libuv's thread pool).
//!
//! ```sh
//! cargo bench --bench dns            # 5 runs of each, the median
//! cargo bench --bench dns -- --quick # 1 run of each
//! cargo bench --bench dns -- --only stub # only the contenders named so
//! ```
//!
//! It writes `book/generated/dns.tsv` and the table rendered from it,
//! `book/generated/dns.md`: lookups per second, and each contender's time
//! relative to tokio's.

#[path = "../tests/support/sandbox.rs"]
mod sandbox;

#[allow(dead_code)] // the benchmark writes data; the reading half is for figures
#[path = "../figures/src/bench_data.rs"]
mod bench_data;

#[path = "support/bench_args.rs"]
mod bench_args;

use bench_args::{BenchArgs, ensure_uvloop, python_seconds};

use simple_dns::rdata::{A, RData};
use simple_dns::{CLASS, Packet, PacketFlag, QTYPE, ResourceRecord, TYPE};
use std::net::{Ipv4Addr, UdpSocket};
use std::process::Command;
use std::time::{Duration, Instant};

const LOOKUPS: usize = 1000;

/// How many lookups are in flight at once in the concurrent mode: all 1,000
/// at once would overflow the name server's socket buffer (each glibc lookup
/// sends two queries, A and AAAA), and every runtime's pool would then be
/// measured waiting for retries.
const IN_FLIGHT: usize = 100;

/// The `i`th name: a new one for every lookup of a run.
fn name(run: usize, i: usize) -> String {
    format!("host{i}.run{run}.bench.test")
}

// ------------------------------------------------------------ the name server

/// Answers every A question for a name under `bench.test` with an address
/// made from the name, and every other question with no records, on
/// 127.0.0.1:53, on a thread of its own.
fn start_name_server() {
    let socket = UdpSocket::bind("127.0.0.1:53").expect("bind 127.0.0.1:53");
    enlarge_receive_buffer(&socket);
    for _ in 0..2 {
        let socket = socket.try_clone().expect("a second handle");
        std::thread::spawn(move || {
            let mut buffer = [0_u8; 1500];
            loop {
                let Ok((length, peer)) = socket.recv_from(&mut buffer) else {
                    continue;
                };
                if let Some(reply) = answer(&buffer[..length]) {
                    let _ = socket.send_to(&reply, peer);
                }
            }
        });
    }
}

/// Asks for a 4 MiB receive buffer (the kernel caps it at `rmem_max`), so
/// that a burst of queries waits in the buffer instead of being dropped.
fn enlarge_receive_buffer(socket: &UdpSocket) {
    use std::os::fd::AsRawFd;
    let size: libc::c_int = 4 << 20;
    // SAFETY: a valid socket descriptor, and a pointer to an int of the
    // length given, as SO_RCVBUF takes.
    let _ = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            (&raw const size).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
}

fn answer(query: &[u8]) -> Option<Vec<u8>> {
    let query = Packet::parse(query).ok()?;
    let question = query.questions.first()?.clone();
    let mut reply = Packet::new_reply(query.id());
    reply.set_flags(
        PacketFlag::RECURSION_DESIRED | PacketFlag::RECURSION_AVAILABLE,
    );
    let asked = question.qname.to_string();
    if question.qtype == QTYPE::TYPE(TYPE::A) && asked.ends_with("bench.test") {
        let hash =
            asked.bytes().fold(0_u32, |h, b| h.wrapping_mul(31) ^ u32::from(b));
        let address = Ipv4Addr::from(0x0A00_0000 | (hash & 0x00FF_FFFF));
        reply.answers.push(ResourceRecord::new(
            question.qname.clone(),
            CLASS::IN,
            60,
            RData::A(A::from(address)),
        ));
    }
    reply.questions.push(question);
    reply.build_bytes_vec().ok()
}

// ------------------------------------------------------------ the contenders

/// How the lookups of one run are made.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    OneAtATime,
    HundredAtOnce,
}

impl Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::OneAtATime => "one at a time",
            Mode::HundredAtOnce => "100 at once",
        }
    }
}

fn aio_getaddrinfo(run: usize, mode: Mode) -> Duration {
    let hints = aio::Hints {
        socket_type: aio::SocketType::Stream,
        ..aio::Hints::default()
    };
    aio::run(async move {
        let started = Instant::now();
        match mode {
            Mode::OneAtATime => {
                for i in 0..LOOKUPS {
                    let answer =
                        aio::getaddrinfo(&name(run, i), 443, hints).await;
                    assert!(answer.is_ok(), "{answer:?}");
                }
            }
            Mode::HundredAtOnce => {
                let slots = aio::Semaphore::new(IN_FLIGHT);
                let lookups = (0..LOOKUPS).map(|i| {
                    let slots = slots.clone();
                    aio::spawn(async move {
                        let _slot = slots.permit().await;
                        aio::getaddrinfo(&name(run, i), 443, hints).await
                    })
                    .unwrap()
                });
                let answers = aio::gather(lookups.collect::<Vec<_>>()).await;
                for answer in answers.expect("every lookup task ran") {
                    assert!(matches!(answer, Ok(Ok(_))), "{answer:?}");
                }
            }
        }
        started.elapsed()
    })
    .unwrap()
}

fn aio_stub_resolver(run: usize, mode: Mode) -> Duration {
    aio::run(async move {
        let resolver = std::rc::Rc::new(
            aio::StubResolver::from_system()
                .expect("the sandbox's resolv.conf"),
        );
        let started = Instant::now();
        match mode {
            Mode::OneAtATime => {
                for i in 0..LOOKUPS {
                    let answer = resolver.lookup_ip(&name(run, i)).await;
                    assert!(answer.is_ok(), "{answer:?}");
                }
            }
            Mode::HundredAtOnce => {
                let slots = aio::Semaphore::new(IN_FLIGHT);
                let lookups = (0..LOOKUPS).map(|i| {
                    let (slots, resolver) = (slots.clone(), resolver.clone());
                    aio::spawn(async move {
                        let _slot = slots.permit().await;
                        resolver.lookup_ip(&name(run, i)).await
                    })
                    .unwrap()
                });
                let answers = aio::gather(lookups.collect::<Vec<_>>()).await;
                for answer in answers.expect("every lookup task ran") {
                    assert!(matches!(answer, Ok(Ok(_))), "{answer:?}");
                }
            }
        }
        started.elapsed()
    })
    .unwrap()
}

fn tokio_lookup_host(run: usize, mode: Mode) -> Duration {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let started = Instant::now();
        match mode {
            Mode::OneAtATime => {
                for i in 0..LOOKUPS {
                    let found =
                        tokio::net::lookup_host((name(run, i), 443)).await;
                    assert!(found.is_ok(), "{:?}", found.err());
                }
            }
            Mode::HundredAtOnce => {
                let slots =
                    std::sync::Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
                let mut set = tokio::task::JoinSet::new();
                for i in 0..LOOKUPS {
                    let slots = slots.clone();
                    set.spawn(async move {
                        let _slot = slots.acquire().await;
                        tokio::net::lookup_host((name(run, i), 443))
                            .await
                            .map(|found| found.count())
                    });
                }
                while let Some(found) = set.join_next().await {
                    assert!(matches!(found, Ok(Ok(_))), "{found:?}");
                }
            }
        }
        started.elapsed()
    })
}

fn smol_resolve(run: usize, mode: Mode) -> Duration {
    let executor = smol::LocalExecutor::new();
    smol::block_on(executor.run(async {
        let started = Instant::now();
        match mode {
            Mode::OneAtATime => {
                for i in 0..LOOKUPS {
                    let found = smol::net::resolve((name(run, i), 443)).await;
                    assert!(found.is_ok(), "{:?}", found.err());
                }
            }
            Mode::HundredAtOnce => {
                let tasks: Vec<_> = (0..LOOKUPS)
                    .map(|i| {
                        executor.spawn(smol::net::resolve((name(run, i), 443)))
                    })
                    .collect();
                for task in tasks {
                    let found = task.await;
                    assert!(found.is_ok(), "{:?}", found.err());
                }
            }
        }
        started.elapsed()
    }))
}

/// Python's lookups: `python3 -c PYTHON LOOP MODE RUN LOOKUPS IN_FLIGHT`
/// prints the
/// seconds they took.
const PYTHON: &str = r#"
import asyncio, sys, time
style, mode, run, lookups, in_flight = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
if style == 'uvloop':
    import uvloop
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
def name(i):
    return f'host{i}.run{run}.bench.test'
async def main():
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    if mode == 'one':
        for i in range(lookups):
            await loop.getaddrinfo(name(i), 443, type=1)
    else:
        slots = asyncio.Semaphore(in_flight)
        async def one(i):
            async with slots:
                await loop.getaddrinfo(name(i), 443, type=1)
        await asyncio.gather(*(one(i) for i in range(lookups)))
    print(time.perf_counter() - started)
asyncio.run(main())
"#;

fn python(style: &str, run: usize, mode: Mode) -> Result<Duration, String> {
    let mode = match mode {
        Mode::OneAtATime => "one",
        Mode::HundredAtOnce => "many",
    };
    let output = Command::new("python3")
        .args([
            "-c",
            PYTHON,
            style,
            mode,
            &run.to_string(),
            &LOOKUPS.to_string(),
            &IN_FLIGHT.to_string(),
        ])
        .output();
    python_seconds(output)
}

// ------------------------------------------------------------ the run

/// A contender: its name, and how to time one run of it.
type Contender =
    (&'static str, Box<dyn Fn(usize, Mode) -> Result<Duration, String>>);

fn contenders() -> Vec<Contender> {
    vec![
        (
            "aio getaddrinfo (thread)",
            Box::new(|run, mode| Ok(aio_getaddrinfo(run, mode))),
        ),
        (
            "aio stub resolver",
            Box::new(|run, mode| Ok(aio_stub_resolver(run, mode))),
        ),
        (
            bench_data::DNS_REFERENCE,
            Box::new(|run, mode| Ok(tokio_lookup_host(run, mode))),
        ),
        ("smol resolve", Box::new(|run, mode| Ok(smol_resolve(run, mode)))),
        (
            "Python loop.getaddrinfo",
            Box::new(|run, mode| python("asyncio", run, mode)),
        ),
        (
            "uvloop getaddrinfo",
            Box::new(|run, mode| python("uvloop", run, mode)),
        ),
    ]
}

fn main() {
    let args = BenchArgs::from_env();
    if !sandbox::inside() {
        // Before the sandbox, which has no network for pip. Without uvloop,
        // its contender says it was skipped.
        let _ = ensure_uvloop();
        let this = std::env::current_exe().expect("the benchmark's binary");
        let given: Vec<String> = std::env::args().skip(1).collect();
        let arguments: Vec<&str> = given.iter().map(String::as_str).collect();
        let sandbox = sandbox::Sandbox {
            resolv_conf: "nameserver 127.0.0.1\noptions timeout:2 attempts:2\n"
                .into(),
            hosts: None,
        };
        let status = sandbox.command(&this, &arguments).status().expect(
            "unshare runs (util-linux; user namespaces must be allowed)",
        );
        std::process::exit(status.code().unwrap_or(1));
    }
    start_name_server();
    let runs = args.runs();
    let started = bench_data::load_average();
    let mut data = bench_data::Data::new(&bench_data::DNS_COLUMNS);
    data.set_meta("command", &args.command("dns"));
    let mut run_number = 0;
    for (contender, time) in contenders() {
        if !args.includes(contender) {
            continue;
        }
        for mode in [Mode::OneAtATime, Mode::HundredAtOnce] {
            let mut times = Vec::new();
            let mut skipped = String::new();
            for _ in 0..runs {
                run_number += 1;
                match time(run_number, mode) {
                    Ok(elapsed) => times.push(elapsed),
                    Err(reason) => {
                        skipped = reason;
                        break;
                    }
                }
            }
            times.sort();
            let median = times.get(times.len() / 2).copied();
            match median {
                Some(median) if skipped.is_empty() => println!(
                    "{contender}, {}: {:.0} lookups/s",
                    mode.label(),
                    LOOKUPS as f64 / median.as_secs_f64()
                ),
                _ => println!(
                    "{contender}, {}: skipped: {skipped}",
                    mode.label()
                ),
            }
            let milliseconds =
                |time: Duration| format!("{:.2}", time.as_secs_f64() * 1e3);
            data.push(vec![
                contender.to_owned(),
                mode.label().to_owned(),
                LOOKUPS.to_string(),
                median.map(milliseconds).unwrap_or_default(),
                times
                    .iter()
                    .copied()
                    .map(milliseconds)
                    .collect::<Vec<_>>()
                    .join(","),
                skipped,
            ]);
        }
    }
    data.set_meta(
        "note",
        &format!(
            "{LOOKUPS} lookups of new names, each a query over UDP to a name \
             server on 127.0.0.1 (in a network namespace of the benchmark's \
             own), the median of {runs} run{}, on {}.",
            if runs == 1 { "" } else { "s" },
            bench_data::machine(started),
        ),
    );
    print!("\n{}", bench_data::table("dns", &data));
    if args.only.is_none() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("book/generated");
        data.save(&dir, "dns").unwrap();
    }
}
