//! Chapter 7 (protocols): the resolver seam, where a host name becomes
//! addresses.
//!
//! `create_connection`, `create_server` and `create_datagram_endpoint` take a
//! host, and ask the loop's [`Resolver`] for its addresses. A host that is
//! already an IP address never reaches a resolver: asyncio skips its lookup
//! for those too (`_ipaddr_info`), and so a test on `127.0.0.1` costs no
//! lookup at all.
//!
//! Chapter 7's own resolver, [`BlockingResolver`], is the standard library's
//! lookup, called right here on the loop's thread. It is the simplest thing
//! that works, and it stops every task on the loop for as long as the name
//! server takes to answer. Chapter 10 writes the resolvers that do not block,
//! and the crate's root makes one of them the default (see
//! [`EventLoop::set_resolver`]).

use crate::ch01_coroutines::event_loop::{EventLoop, get_running_loop};
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::pin::Pin;
use std::rc::Rc;

/// The answer a [`Resolver`] gives: a future of the addresses to try, in
/// order.
pub type Resolving = Pin<Box<dyn Future<Output = io::Result<Vec<SocketAddr>>>>>;

// ANCHOR: resolver
/// Turns a host name and a port into socket addresses. A loop has one (see
/// [`EventLoop::set_resolver`]); everything in aio that takes a host name asks
/// it.
pub trait Resolver: 'static {
    /// Looks `host` up. The future owns what it needs: it may outlive this
    /// call, and the resolver may answer from another thread.
    fn resolve(&self, host: &str, port: u16) -> Resolving;
}
// ANCHOR_END: resolver

/// Chapter 7's resolver: the standard library's `ToSocketAddrs`, on the
/// loop's thread. Every other task waits while it runs; use it only where
/// lookups are instant (names in `/etc/hosts`), or to see why chapter 10
/// exists.
#[derive(Debug, Clone, Copy, Default)]
pub struct BlockingResolver;

impl Resolver for BlockingResolver {
    fn resolve(&self, host: &str, port: u16) -> Resolving {
        let answer = blocking_lookup(host, port);
        Box::pin(std::future::ready(answer))
    }
}

// ANCHOR: blocking_lookup
/// The blocking lookup. A failed lookup names the host: the C library's
/// message ("Name or service not known") does not say which of a program's
/// lookups failed.
pub(crate) fn blocking_lookup(
    host: &str,
    port: u16,
) -> io::Result<Vec<SocketAddr>> {
    let addresses = (host, port).to_socket_addrs().map_err(|error| {
        io::Error::new(
            error.kind(),
            format!(
                "could not look up the host name {host:?}: {error}; check \
                 the name (and the network, for a remote host)"
            ),
        )
    })?;
    Ok(addresses.collect())
}
// ANCHOR_END: blocking_lookup

/// The loop-local slot that holds a loop's chosen resolver.
struct ChosenResolver(Rc<dyn Resolver>);

impl EventLoop {
    /// Chooses how this loop looks names up, from now on. Until it is called,
    /// a loop uses the crate's default: chapter 10's `ThreadResolver`, which
    /// calls the C library's `getaddrinfo` on a worker thread, as asyncio
    /// does.
    pub fn set_resolver(&self, resolver: impl Resolver) {
        self.set_local(ChosenResolver(Rc::new(resolver)));
    }

    /// The resolver this loop uses.
    pub fn resolver(&self) -> Rc<dyn Resolver> {
        match self.local::<ChosenResolver>() {
            Some(chosen) => chosen.0.clone(),
            None => {
                let resolver = crate::default_resolver();
                self.set_local(ChosenResolver(resolver.clone()));
                resolver
            }
        }
    }
}

// ANCHOR: resolve
/// The addresses of `host`:`port`: at once for an IP address, otherwise from
/// the running loop's resolver. Never empty.
pub(crate) async fn resolve(
    host: &str,
    port: u16,
) -> io::Result<Vec<SocketAddr>> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let resolver = get_running_loop()
        .map_err(|error| io::Error::other(error.to_string()))?
        .resolver();
    let addresses = resolver.resolve(host, port).await?;
    if addresses.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("the host name {host:?} resolved to no address"),
        ));
    }
    Ok(addresses)
}
// ANCHOR_END: resolve
