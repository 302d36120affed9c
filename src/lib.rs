//! # aio: asyncio, rebuilt in Rust
//!
//! `aio` is a single-threaded, asyncio-style event loop built on [mio]. It is
//! written chapter by chapter in the book that lives next to it (`book/`), and
//! this file is its table of contents: every module below belongs to exactly
//! one chapter, and a module only uses modules of its own chapter or earlier
//! ones (`tests/architecture.rs` checks this).
//!
//! ```
//! let answer = aio::run(async {
//!     aio::sleep(std::time::Duration::from_millis(1)).await;
//!     42
//! });
//! assert_eq!(answer.unwrap(), 42);
//! ```

mod ch01_coroutines;
mod ch02_scheduling;
mod ch03_futures;
mod ch04_tasks;
mod ch05_control;
mod ch06_sync;
mod ch07_protocols;
mod ch08_streams;
mod ch09_tls;
mod ch10_dns;
mod ch11_subprocess;
mod ch12_signals;
mod ch13_executors;
mod ch14_debugging;

pub use ch01_coroutines::trace;
pub use ch10_dns::oneshot;

pub use ch01_coroutines::clock::{ClockKind, with_clock};
pub use ch01_coroutines::error::{Error, TaskError};
pub use ch01_coroutines::event_loop::get_running_loop;
pub use ch01_coroutines::event_loop::{Builder, EventLoop};
pub use ch01_coroutines::logging::{Level, LogSink, Record, set_log_sink};
pub use ch01_coroutines::remote::RemoteLoop;
pub use ch01_coroutines::run::run;
pub use ch01_coroutines::spawn::spawn;
pub use ch01_coroutines::task::Task;
pub use ch02_scheduling::handle::{Handle, TimerHandle};
pub use ch02_scheduling::sleep::{Sleep, sleep, sleep_until};
pub use ch03_futures::promise::{
    Exception, InvalidStateError, Promise, PromiseCallbackId, PromiseError,
};
pub use ch04_tasks::task_ref::{
    DoneCallbackId, TaskRef, Watch, all_tasks, current_task,
};

pub use ch05_control::as_completed::{AsCompleted, as_completed};
pub use ch05_control::gather::{
    Child, Children, Gather, GatherSettled, gather, gather_settled,
};
pub use ch05_control::shield::{Shield, shield};
pub use ch05_control::timeouts::{
    CancelOnDrop, Timeout, TimeoutScope, timeout, timeout_at, wait_for,
};
pub use ch05_control::wait::{
    DoneAndPending, ReturnWhen, Wait, Waitable, wait,
};

pub use ch06_sync::barrier::Barrier;
pub use ch06_sync::condition::Condition;
pub use ch06_sync::event::Event;
pub use ch06_sync::lock::{Lock, LockGuard};
pub use ch06_sync::queue::{LifoQueue, PriorityQueue, Queue};
pub use ch06_sync::semaphore::{BoundedSemaphore, Semaphore, SemaphorePermit};
pub use ch06_sync::sync_error::SyncError;

pub use ch07_protocols::connect::create_connection;
pub use ch07_protocols::datagram::{
    DatagramProtocol, DatagramTransport, create_datagram_endpoint,
};
pub use ch07_protocols::interface::{
    DEFAULT_HIGH_WATER, ExtraInfo, Protocol, Transport,
};
pub use ch07_protocols::resolver::{BlockingResolver, Resolver, Resolving};
pub use ch07_protocols::server::{Server, create_server};
pub use ch07_protocols::unix::{create_unix_connection, create_unix_server};

pub use ch08_streams::open::{
    open_connection, open_unix_connection, start_server, start_unix_server,
};
pub use ch08_streams::reader::{DEFAULT_LIMIT, Lines, StreamReader};
pub use ch08_streams::stream_error::StreamError;
pub use ch08_streams::writer::StreamWriter;

pub use ch09_tls::certificate::PeerCertificate;
pub use ch09_tls::context::{
    DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT, Ssl, SslContext,
};
pub use ch09_tls::open::{
    create_connection_ssl, create_server_ssl, open_connection_ssl,
    start_server_ssl, start_tls,
};
pub use ch09_tls::tls_error::TlsError;
/// The TLS engine, for configs beyond what [`SslContext`] builds.
pub use rustls;

pub use ch10_dns::addrinfo::{
    AI_ADDRCONFIG, AI_CANONNAME, AI_NUMERICHOST, AI_PASSIVE, AddrInfo, Family,
    Hints, NI_DGRAM, NI_NAMEREQD, NI_NUMERICHOST, NI_NUMERICSERV, Service,
    SocketType, getaddrinfo_blocking, getnameinfo_blocking,
};
pub use ch10_dns::gai_error::{GaiError, GaiReason};
pub use ch10_dns::hosts::Hosts;
pub use ch10_dns::lookup::{
    BlockingLookup, ThreadResolver, getaddrinfo, getnameinfo,
};
pub use ch10_dns::resolv_conf::{MAX_NAMESERVERS, ResolverConfig};
pub use ch10_dns::stub::StubResolver;

pub use ch11_subprocess::options::{ChildWatcher, ProcessOptions, Stdio};
pub use ch11_subprocess::process::{
    Process, create_subprocess_exec, create_subprocess_shell,
};
pub use ch11_subprocess::spawn_error::{SpawnError, SpawnReason};
pub use ch11_subprocess::subprocess_transport::{
    SubprocessProtocol, SubprocessTransport, subprocess_exec, subprocess_shell,
};

pub use ch12_signals::handlers::{add_signal_handler, remove_signal_handler};
pub use ch12_signals::signal::Signal;
pub use ch12_signals::signal_error::SignalError;

pub use ch13_executors::concurrent_future::ConcurrentFuture;
pub use ch13_executors::default_executor::{DefaultExecutor, to_thread};
pub use ch13_executors::executor::{
    Executor, WrappedFuture, run_in_executor, wrap_future,
};
pub use ch13_executors::executor_error::ExecutorError;
pub use ch13_executors::pool_functions::{
    PoolCall, PoolFunction, PoolFunctions,
};
pub use ch13_executors::process_pool::{
    ProcessPoolBuilder, ProcessPoolExecutor,
};
pub use ch13_executors::thread_pool::{
    DEFAULT_IDLE_TIMEOUT, ThreadPoolBuilder, ThreadPoolExecutor,
};
pub use ch13_executors::threadsafe::run_coroutine_threadsafe;

pub use ch01_coroutines::event_loop::DEBUG_ENV;
pub use ch14_debugging::debug_mode::DEFAULT_SLOW_CALLBACK_DURATION;
pub use ch14_debugging::task_tree::{TaskTree, task_tree};
pub use ch14_debugging::wait_node::{TaskNode, WaitNode};

// ANCHOR: default_resolver
/// The resolver a loop uses until [`EventLoop::set_resolver`] chooses
/// another. This is the one place where a later chapter's piece becomes an
/// earlier chapter's default: chapter 7 made the seam and asks here, and
/// chapter 10's [`ThreadResolver`] answers, so that nothing in aio looks a
/// name up on the loop's thread (`tests/architecture.rs` allows exactly this
/// call).
pub(crate) fn default_resolver() -> std::rc::Rc<dyn Resolver> {
    std::rc::Rc::new(ThreadResolver::new())
}
// ANCHOR_END: default_resolver

// ANCHOR: cancel_on_ctrl_c
/// What `aio::run` (chapter 1) does about Ctrl-C: chapter 12's handler
/// cancels the main task (`tests/architecture.rs` allows this call too).
pub(crate) fn cancel_on_ctrl_c(
    event_loop: &EventLoop,
    cancel_main: Box<dyn Fn() -> bool>,
) -> Option<Box<dyn ch01_coroutines::run::WatchingCtrlC>> {
    ch12_signals::ctrl_c::cancel_on_ctrl_c(event_loop, cancel_main)
}
// ANCHOR_END: cancel_on_ctrl_c

// ANCHOR: shutdown_default_executor
/// What `aio::run` (chapter 1) does before it closes its loop: chapter 13's
/// default executor, if the loop made one, is shut down and its threads
/// joined (asyncio's `shutdown_default_executor`).
pub(crate) fn shutdown_default_executor(event_loop: &EventLoop) {
    ch13_executors::default_executor::shut_down_before_close(event_loop);
}
// ANCHOR_END: shutdown_default_executor

// ANCHOR: enable_debug_mode
/// What a loop built with `AIO_DEBUG` set does (chapter 1): it turns on
/// chapter 14's debug mode.
pub(crate) fn enable_debug_mode(event_loop: &EventLoop) {
    event_loop.set_debug(true);
}
// ANCHOR_END: enable_debug_mode

// ANCHOR: run_blocking
/// Where chapter 10's lookups block: on the running loop's default executor
/// (chapter 13), as asyncio's `loop.getaddrinfo` does.
pub(crate) async fn run_blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ch10_dns::worker::OffLoopError> {
    use ch10_dns::worker::OffLoopError;
    run_in_executor(&DefaultExecutor, work).await.map_err(|error| match error {
        ExecutorError::Panicked { .. } => OffLoopError::Panicked,
        other => OffLoopError::CouldNotRun(other.to_string()),
    })
}
// ANCHOR_END: run_blocking
