//! Spawning processes: `true`, 500 times, each spawned and waited for, once
//! one at a time (spawn, wait, the next) and once with up to 50 alive at
//! once. `true` does nothing, so what is timed is the spawn itself:
//! starting the child, learning that it exited, reaping it and waking the
//! task that waits.
//!
//! The contenders:
//!
//! - aio's `create_subprocess_exec`, with its default child watcher (a
//!   pidfd per child, watched by the loop) and with `ChildWatcher::Thread`
//!   (a thread per child, blocked in `waitid`);
//! - tokio's `process::Command` (on Linux, a pidfd per child too) on a
//!   `current_thread` runtime, and smol's (async-process, already smol's
//!   own dependency: a pidfd per child on async-io's reactor);
//! - Python's `asyncio.create_subprocess_exec` (3.11's default watcher is
//!   `ThreadedChildWatcher`, a thread per child) and uvloop's (libuv's
//!   `SIGCHLD` handler); uvloop is installed with pip if missing, and
//!   skipped with a note if that fails;
//! - `std::process::Command` in a plain loop, no runtime: `spawn` then
//!   `wait`, which is what `status()` does; the floor (with 50 alive, it
//!   waits for them in the order they started).
//!
//! Every contender is given `true`'s whole path (found on `PATH` once), and
//! every child inherits the benchmark's standard streams (the default of
//! `tokio::process`, `std::process::Command` and asyncio's
//! `create_subprocess_exec` alike). Python times itself in its own process,
//! so its interpreter's start is not counted.
//!
//! ```sh
//! cargo bench --bench subprocess            # 5 runs of each, the median
//! cargo bench --bench subprocess -- --quick # 1 run of each
//! cargo bench --bench subprocess -- --only aio # only the contenders named so
//! ```
//!
//! It writes `book/generated/spawn.tsv` and the table rendered from it,
//! `book/generated/spawn.md`: spawns per second, and each contender's time
//! relative to tokio's; `cargo run -p figures` draws the chart.

#[allow(dead_code)] // the benchmark writes data; the reading half is for figures
#[path = "../figures/src/bench_data.rs"]
mod bench_data;

#[path = "support/bench_args.rs"]
mod bench_args;

#[path = "support/in_turns.rs"]
mod in_turns;

use bench_args::{BenchArgs, ensure_uvloop, python_seconds};
use in_turns::{Contender, measure_in_turns};

use std::cell::OnceCell;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How many times each run spawns `true`.
const SPAWNS: usize = 500;

/// How many children are alive at once in the concurrent mode.
const AT_ONCE: usize = 50;

/// The program every contender spawns.
const PROGRAM: &str = "true";

/// Where [`PROGRAM`] is, found on `PATH` once: every contender is given the
/// whole path, so that none of them pays for a search of its own (Python
/// runs with a longer `PATH`, with pyenv's directories in front).
fn program() -> &'static Path {
    static FOUND: OnceLock<PathBuf> = OnceLock::new();
    FOUND.get_or_init(|| {
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&path)
            .map(|dir| dir.join(PROGRAM))
            .find(|file| file.is_file())
            .unwrap_or_else(|| panic!("`{PROGRAM}` is not on PATH"))
    })
}

/// `true` takes no arguments.
const NO_ARGUMENTS: [&str; 0] = [];

/// How the spawns of one run are made.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    OneAtATime,
    Concurrent,
}

impl Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::OneAtATime => "one at a time",
            Mode::Concurrent => "50 at once",
        }
    }
}

// ------------------------------------------------------------ the contenders

/// One spawn of `true` on aio, waited for: its exit status.
async fn aio_true(watcher: aio::ChildWatcher) -> Result<i32, aio::SpawnError> {
    let options = aio::ProcessOptions::new().child_watcher(watcher);
    let process =
        aio::create_subprocess_exec(program(), NO_ARGUMENTS, options).await?;
    Ok(process.wait().await)
}

fn aio_spawns(watcher: aio::ChildWatcher, mode: Mode) -> Duration {
    aio::run(async move {
        let started = Instant::now();
        match mode {
            Mode::OneAtATime => {
                for _ in 0..SPAWNS {
                    let status = aio_true(watcher).await;
                    assert!(matches!(status, Ok(0)), "{status:?}");
                }
            }
            Mode::Concurrent => {
                let slots = aio::Semaphore::new(AT_ONCE);
                let spawns = (0..SPAWNS).map(|_| {
                    let slots = slots.clone();
                    aio::spawn(async move {
                        let _slot = slots.permit().await;
                        aio_true(watcher).await
                    })
                    .unwrap()
                });
                let statuses = aio::gather(spawns.collect::<Vec<_>>()).await;
                for status in statuses.expect("every spawning task ran") {
                    assert!(matches!(status, Ok(Ok(0))), "{status:?}");
                }
            }
        }
        started.elapsed()
    })
    .unwrap()
}

fn tokio_spawns(mode: Mode) -> Duration {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = || tokio::process::Command::new(program()).status();
    runtime.block_on(async move {
        let started = Instant::now();
        match mode {
            Mode::OneAtATime => {
                for _ in 0..SPAWNS {
                    let status = status().await;
                    assert!(status.as_ref().is_ok_and(|s| s.success()));
                }
            }
            Mode::Concurrent => {
                let slots =
                    std::sync::Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
                let mut set = tokio::task::JoinSet::new();
                for _ in 0..SPAWNS {
                    let slots = slots.clone();
                    set.spawn(async move {
                        let _slot = slots.acquire().await;
                        status().await
                    });
                }
                while let Some(status) = set.join_next().await {
                    assert!(
                        matches!(&status, Ok(Ok(s)) if s.success()),
                        "{status:?}"
                    );
                }
            }
        }
        started.elapsed()
    })
}

fn smol_spawns(mode: Mode) -> Duration {
    let status = || smol::process::Command::new(program()).status();
    let executor = smol::LocalExecutor::new();
    smol::block_on(executor.run(async {
        let started = Instant::now();
        match mode {
            Mode::OneAtATime => {
                for _ in 0..SPAWNS {
                    let status = status().await;
                    assert!(status.as_ref().is_ok_and(|s| s.success()));
                }
            }
            Mode::Concurrent => {
                let slots =
                    std::rc::Rc::new(smol::lock::Semaphore::new(AT_ONCE));
                let tasks: Vec<_> = (0..SPAWNS)
                    .map(|_| {
                        let slots = slots.clone();
                        executor.spawn(async move {
                            let _slot = slots.acquire().await;
                            status().await
                        })
                    })
                    .collect();
                for task in tasks {
                    let status = task.await;
                    assert!(status.as_ref().is_ok_and(|s| s.success()));
                }
            }
        }
        started.elapsed()
    }))
}

/// The floor: `std::process::Command`, blocking, no runtime. With 50 alive
/// at once, it waits for the oldest child before it starts another.
fn std_spawns(mode: Mode) -> Duration {
    let alive = match mode {
        Mode::OneAtATime => 1,
        Mode::Concurrent => AT_ONCE,
    };
    let wait = |mut child: std::process::Child| {
        assert!(child.wait().is_ok_and(|status| status.success()));
    };
    let started = Instant::now();
    let mut children = VecDeque::with_capacity(alive);
    for _ in 0..SPAWNS {
        if children.len() == alive {
            wait(children.pop_front().unwrap());
        }
        children
            .push_back(Command::new(program()).spawn().expect("spawn true"));
    }
    children.into_iter().for_each(wait);
    started.elapsed()
}

/// Python's spawns: `python3 -c PYTHON STYLE MODE PROGRAM SPAWNS AT_ONCE`
/// prints the seconds they took, timed in the interpreter.
const PYTHON: &str = r#"
import asyncio, sys, time
style, mode, program = sys.argv[1], sys.argv[2], sys.argv[3]
spawns, at_once = int(sys.argv[4]), int(sys.argv[5])
if style == 'uvloop':
    import uvloop
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
async def spawn_true():
    process = await asyncio.create_subprocess_exec(program)
    status = await process.wait()
    if status != 0:
        raise SystemExit(f'{program} exited with {status}')
async def main():
    started = time.perf_counter()
    if mode == 'one':
        for _ in range(spawns):
            await spawn_true()
    else:
        slots = asyncio.Semaphore(at_once)
        async def one():
            async with slots:
                await spawn_true()
        await asyncio.gather(*(one() for _ in range(spawns)))
    print(time.perf_counter() - started)
asyncio.run(main())
"#;

fn python(style: &str, mode: Mode) -> Result<Duration, String> {
    let mode = match mode {
        Mode::OneAtATime => "one",
        Mode::Concurrent => "many",
    };
    let output = Command::new("python3")
        .args([
            "-c",
            PYTHON,
            style,
            mode,
            &program().display().to_string(),
            &SPAWNS.to_string(),
            &AT_ONCE.to_string(),
        ])
        .output();
    python_seconds(output)
}

// ------------------------------------------------------------ the run

fn contenders() -> Vec<Contender<Mode>> {
    let uvloop = OnceCell::new();
    vec![
        (
            "aio, pidfd watcher",
            Box::new(|mode| Ok(aio_spawns(aio::ChildWatcher::Pidfd, mode))),
        ),
        (
            "aio, thread watcher",
            Box::new(|mode| Ok(aio_spawns(aio::ChildWatcher::Thread, mode))),
        ),
        (bench_data::SPAWN_REFERENCE, Box::new(|mode| Ok(tokio_spawns(mode)))),
        ("smol (async-process)", Box::new(|mode| Ok(smol_spawns(mode)))),
        ("Python asyncio", Box::new(|mode| python("asyncio", mode))),
        (
            "uvloop",
            Box::new(move |mode| {
                uvloop.get_or_init(ensure_uvloop).clone()?;
                python("uvloop", mode)
            }),
        ),
        ("std, blocking (floor)", Box::new(|mode| Ok(std_spawns(mode)))),
    ]
}

fn main() {
    let args = BenchArgs::from_env();
    let runs = args.runs();
    let started = bench_data::load_average();
    let mut data = bench_data::Data::new(&bench_data::SPAWN_COLUMNS);
    data.set_meta("command", &args.command("subprocess"));
    let contenders: Vec<Contender<Mode>> = contenders()
        .into_iter()
        .filter(|(name, _)| args.includes(name))
        .collect();
    let measurements = measure_in_turns(
        &contenders,
        &[
            (Mode::OneAtATime, Mode::OneAtATime.label()),
            (Mode::Concurrent, Mode::Concurrent.label()),
        ],
        runs,
    );
    for measurement in measurements {
        println!("{}", measurement.summary(SPAWNS as u64, "spawns"));
        data.push(measurement.cells(SPAWNS as u64));
    }
    data.set_meta(
        "note",
        &format!(
            "{SPAWNS} spawns of `{}`, each waited for, one at a time and \
             with up to {AT_ONCE} alive at once, the median of {runs} run{}, \
             on {}.",
            program().display(),
            if runs == 1 { "" } else { "s" },
            bench_data::machine(started),
        ),
    );
    print!("\n{}", bench_data::table("spawn", &data));
    if args.only.is_none() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("book/generated");
        data.save(&dir, "spawn").unwrap();
        println!(
            "\nwritten to {}/spawn.tsv and spawn.md; run `cargo run -p \
             figures` to redraw the chart",
            dir.display()
        );
    }
}
