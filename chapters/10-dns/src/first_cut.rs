//! A first cut at a lookup that does not block the loop: std's blocking
//! `ToSocketAddrs` (the C library's `getaddrinfo` underneath) on a thread
//! of its own, and the answer handed back through `aio::oneshot`. The task
//! that awaits it sleeps like any other, and the thread's `send` wakes it.
//! `src/ch10_dns/worker.rs` is this, grown up: named threads, an error when
//! none can be started.

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::thread;

// ANCHOR: off_the_loop
/// Runs `work` on a new thread; the receiver completes with its answer.
pub fn off_the_loop<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> aio::oneshot::Receiver<T> {
    let (sender, receiver) = aio::oneshot::channel();
    thread::spawn(move || {
        let _ = sender.send(work()); // the task may have stopped waiting
    });
    receiver
}
// ANCHOR_END: off_the_loop

// ANCHOR: lookup
/// The addresses of `host` for `port`, looked up off the loop.
pub async fn lookup(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    let host = host.to_owned();
    let answer = off_the_loop(move || {
        let addresses = (host.as_str(), port).to_socket_addrs()?;
        Ok(addresses.collect())
    });
    // The sender is dropped unsent only if the lookup panicked.
    answer.await.map_err(io::Error::other)?
}
// ANCHOR_END: lookup
