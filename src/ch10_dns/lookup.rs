//! Chapter 10 (DNS): `getaddrinfo` and `getnameinfo` as awaitables, and the
//! resolver every loop uses by default.
//!
//! asyncio's `loop.getaddrinfo` runs `socket.getaddrinfo` in the loop's
//! default executor; aio runs the C library's function on a worker thread
//! (`worker.rs`), and the task awaits the answer. [`ThreadResolver`] puts the
//! same path behind chapter 7's resolver seam, so that `create_connection`
//! and everything built on it stop blocking the loop.

use crate::ch07_protocols::resolver::{Resolver, Resolving};
use crate::ch10_dns::addrinfo::{
    AddrInfo, Hints, Service, SocketType, check_name, getaddrinfo_blocking,
    getnameinfo_blocking,
};
use crate::ch10_dns::gai_error::GaiError;
use crate::ch10_dns::worker::OffLoopError;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

// ANCHOR: getaddrinfo
/// Looks `host` up for `service` without blocking the loop (asyncio's
/// `loop.getaddrinfo`): the C library's `getaddrinfo` runs on a worker
/// thread, and the entries come back in its order.
pub async fn getaddrinfo(
    host: &str,
    service: impl Into<Service>,
    hints: Hints,
) -> Result<Vec<AddrInfo>, GaiError> {
    check_name(host)?; // on the loop: a bad name costs no thread
    let (service, asked) = (service.into(), host.to_owned());
    off_the_loop(host, move || getaddrinfo_blocking(&asked, &service, hints))
        .await
}
// ANCHOR_END: getaddrinfo

/// Finds the host and service names of `address` without blocking the loop
/// (asyncio's `loop.getnameinfo`). An address with no name comes back as its
/// number, unless `flags` has `NI_NAMEREQD`.
pub async fn getnameinfo(
    address: SocketAddr,
    flags: i32,
) -> Result<(String, String), GaiError> {
    let name = address.ip().to_string();
    off_the_loop(&name, move || getnameinfo_blocking(address, flags)).await
}

/// Runs a lookup of `name` off the loop, on the default executor (chapter
/// 13). Work that could not run, or a lookup that panicked, is a `GaiError`
/// for `name` like any other (as an `io::Error`, for a resolver's lookup).
async fn off_the_loop<T, E>(
    name: &str,
    lookup: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<GaiError> + Send + 'static,
{
    match crate::run_blocking(lookup).await {
        Ok(answer) => answer,
        Err(OffLoopError::Panicked) => Err(worker_panicked(name).into()),
        Err(OffLoopError::CouldNotRun(reason)) => {
            Err(could_not_run(name, &reason).into())
        }
    }
}

/// The lookup could not run (no thread, a process limit): `EAI_SYSTEM`, as
/// the C library reports its own resource failures.
fn could_not_run(name: &str, reason: &str) -> GaiError {
    crate::ch01_coroutines::logging::warn!(
        "aio.dns",
        "could not run the lookup of {name:?}: {reason}"
    );
    GaiError::from_code(name, libc::EAI_SYSTEM)
}

fn worker_panicked(name: &str) -> GaiError {
    GaiError::from_code(name, libc::EAI_FAIL)
}

/// A blocking lookup, as [`ThreadResolver`] runs it on its worker thread.
pub type BlockingLookup =
    dyn Fn(&str, u16) -> io::Result<Vec<SocketAddr>> + Send + Sync;

// ANCHOR: thread_resolver
/// The default resolver: the C library's `getaddrinfo` on a worker thread,
/// as asyncio's default executor runs it. It sees what every other program
/// on the machine sees (`/etc/hosts`, `/etc/nsswitch.conf`, mDNS, the name
/// servers and search domains of `/etc/resolv.conf`), and the loop goes on
/// while it waits.
#[derive(Clone)]
pub struct ThreadResolver {
    lookup: Arc<BlockingLookup>,
}

impl ThreadResolver {
    /// The C library's lookup, for stream sockets (one entry per address).
    pub fn new() -> ThreadResolver {
        ThreadResolver::with_lookup(|host, port| {
            let hints =
                Hints { socket_type: SocketType::Stream, ..Hints::default() };
            let entries = getaddrinfo_blocking(host, &port.into(), hints)?;
            Ok(entries.into_iter().map(|entry| entry.address).collect())
        })
    }

    /// Runs `lookup` on the worker thread instead: a test's slow resolver,
    /// or a lookup of your own that blocks.
    pub fn with_lookup(
        lookup: impl Fn(&str, u16) -> io::Result<Vec<SocketAddr>>
        + Send
        + Sync
        + 'static,
    ) -> ThreadResolver {
        ThreadResolver { lookup: Arc::new(lookup) }
    }
}

impl Default for ThreadResolver {
    fn default() -> Self {
        ThreadResolver::new()
    }
}

impl Resolver for ThreadResolver {
    fn resolve(&self, host: &str, port: u16) -> Resolving {
        let lookup = self.lookup.clone();
        let host = host.to_owned();
        Box::pin(async move {
            check_name(&host)?;
            let asked = host.clone();
            off_the_loop(&host, move || lookup(&asked, port)).await
        })
    }
}
// ANCHOR_END: thread_resolver

impl fmt::Debug for ThreadResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ThreadResolver")
    }
}
