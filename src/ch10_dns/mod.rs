//! Chapter 10 (DNS): name lookups that never block the loop.
//!
//! First the one-shot channel a worker thread answers through, the lookup
//! error, and the C library's blocking calls; then the thread that runs them
//! and the awaitables on top. Then the stub resolver, which asks the name
//! servers itself, over the loop's own sockets: what it reads (the hosts
//! table, `resolv.conf`), one message and its check, the CNAME walk, one
//! exchange with one server, and the resolver that puts them together.

pub mod oneshot;
pub(crate) mod gai_error;
pub(crate) mod addrinfo;
pub(crate) mod worker;
pub(crate) mod lookup;
pub(crate) mod hosts;
pub(crate) mod resolv_conf;
pub(crate) mod dns_message;
pub(crate) mod cname_chain;
pub(crate) mod dns_exchange;
pub(crate) mod stub;
