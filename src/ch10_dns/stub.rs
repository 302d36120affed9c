//! Chapter 10 (DNS): the stub resolver, aio's own `getaddrinfo` for
//! addresses, with no thread at all.
//!
//! A thread per lookup (`lookup.rs`) is how asyncio does it, and it does not
//! scale: a thousand lookups are a thousand threads, each asleep in the C
//! library waiting for a datagram. Python programs reach for `aiodns` and
//! Rust programs for `hickory-resolver` to ask the name servers themselves,
//! over the loop's own sockets. [`StubResolver`] is that, in the small: it
//! does what glibc's resolver does for `getaddrinfo(host, ..., AF_UNSPEC)`,
//! and no more. It reads `/etc/hosts` first; then, for each name the search
//! rules give, it asks for AAAA and A at once, each over the servers in turn
//! with a timeout, the whole round `attempts` times.
//!
//! Where glibc would answer differently it is a bug, and a test
//! (`tests/dns_stub.rs`) compares the two on the same answers. glibc sorts
//! its addresses by RFC 6724, which puts IPv6 first unless the machine has
//! no route for it; the stub always puts IPv6 first, which is glibc's order
//! whenever both families are routable, or neither is.

use crate::ch01_coroutines::logging::debug;
use crate::ch07_protocols::resolver::{Resolver, Resolving};
use crate::ch10_dns::addrinfo::check_name;
use crate::ch10_dns::cname_chain::{MAX_CHAIN, Walk, walk};
use crate::ch10_dns::dns_exchange::{NoAnswer, Sockets, exchange};
use crate::ch10_dns::dns_message::{AddressKind, Query, Reply, wire_name};
use crate::ch10_dns::gai_error::GaiError;
use crate::ch10_dns::resolv_conf::ResolverConfig;
use simple_dns::Name;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::rc::Rc;

/// A resolver that asks the name servers itself, on the loop: no thread,
/// no blocking, any number of lookups at once.
///
/// ```
/// use aio::{Hosts, ResolverConfig, StubResolver};
/// use std::net::IpAddr;
///
/// // In a program: `event_loop.set_resolver(StubResolver::from_system()?)`.
/// // Here, a table of our own and no name server, so nothing is asked.
/// let config = ResolverConfig {
///     hosts: Hosts::parse("192.0.2.7 printer.home\n"),
///     ..ResolverConfig::default()
/// };
/// let resolver = StubResolver::new(config);
/// let found =
///     aio::run(async move { resolver.lookup_ip("printer.home").await });
/// let expected: IpAddr = "192.0.2.7".parse().unwrap();
/// assert_eq!(found.unwrap().unwrap(), [expected]);
/// ```
#[derive(Debug, Clone)]
pub struct StubResolver {
    config: Rc<ResolverConfig>,
}

/// Why one name gave no address. A search that tries several names and
/// finds none reports the greatest miss, as glibc's `res_search` does (no
/// address beats failing servers beats no such name); silence ends the
/// search at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Miss {
    /// NXDOMAIN.
    NoSuchName,
    /// Every server failed (SERVFAIL, REFUSED) for this name.
    ServersFailed,
    /// The name exists, with no address.
    NoAddress,
    /// No server answered at all.
    Silent,
}

impl Miss {
    fn code(self) -> i32 {
        match self {
            Miss::NoSuchName => libc::EAI_NONAME,
            Miss::NoAddress => libc::EAI_NODATA,
            Miss::ServersFailed | Miss::Silent => libc::EAI_AGAIN,
        }
    }
}

impl StubResolver {
    /// A resolver that follows `config`.
    pub fn new(config: ResolverConfig) -> StubResolver {
        StubResolver { config: Rc::new(config) }
    }

    /// A resolver that follows `/etc/resolv.conf` and `/etc/hosts`, read
    /// now.
    pub fn from_system() -> io::Result<StubResolver> {
        Ok(StubResolver::new(ResolverConfig::from_system()?))
    }

    /// The configuration it follows.
    pub fn config(&self) -> &ResolverConfig {
        &self.config
    }

    // ANCHOR: lookup_ip
    /// The addresses of `host`, IPv6 first: the address itself for an IP
    /// address, the hosts table's if it has the name, else the name
    /// servers', for the first name of the search list that has any. Fails
    /// with glibc's codes: `EAI_NONAME` (no such name), `EAI_NODATA` (no
    /// address), `EAI_AGAIN` (no server answered, or all failed).
    pub async fn lookup_ip(&self, host: &str) -> Result<Vec<IpAddr>, GaiError> {
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Ok(vec![ip]);
        }
        check_name(host)?;
        if let Some(known) = self.config.hosts.lookup(host) {
            return Ok(ipv6_first(known.to_vec()));
        }
        let mut worst = Miss::NoSuchName;
        for candidate in search_list(host, &self.config) {
            match self.lookup_name(candidate).await {
                Ok(addresses) => return Ok(addresses),
                Err(Miss::Silent) => return Err(gai(host, Miss::Silent)),
                Err(miss) => worst = worst.max(miss),
            }
        }
        Err(gai(host, worst))
    }
    // ANCHOR_END: lookup_ip

    // ANCHOR: both_kinds
    /// Asks for both kinds of address of one name at once, each in a task
    /// of its own, on the same sockets; IPv6 first in the answer.
    async fn lookup_name(
        &self,
        name: Name<'static>,
    ) -> Result<Vec<IpAddr>, Miss> {
        let sockets = Rc::new(Sockets::default());
        let ask = |kind| {
            let (config, name) = (self.config.clone(), name.clone());
            let sockets = sockets.clone();
            async move { lookup_kind(&config, &sockets, name, kind).await }
        };
        let both = crate::gather!(ask(AddressKind::V6), ask(AddressKind::V4));
        // A gather fails only if the loop is shutting down under it.
        let (v6, v4) = both.await.map_err(|_| Miss::Silent)?;
        match (v6, v4) {
            (Ok(mut v6), Ok(v4)) if !(v6.is_empty() && v4.is_empty()) => {
                v6.extend(v4);
                Ok(v6)
            }
            (Ok(found), Err(_)) | (Err(_), Ok(found)) if !found.is_empty() => {
                Ok(found) // one kind is better than none
            }
            (Ok(_), Ok(_)) => Err(Miss::NoAddress),
            (Err(miss), Ok(_)) | (Ok(_), Err(miss)) => Err(miss),
            (Err(one), Err(other)) => Err(one.min(other)),
        }
    }
    // ANCHOR_END: both_kinds
}

// ANCHOR: follow_chain
/// The addresses of one kind for `name`, following its aliases, asking
/// again for a target the answer left out. An empty list: no address.
async fn lookup_kind(
    config: &ResolverConfig,
    sockets: &Sockets,
    name: Name<'static>,
    kind: AddressKind,
) -> Result<Vec<IpAddr>, Miss> {
    let (mut asked, mut links) = (name, MAX_CHAIN);
    loop {
        let records = match ask(config, sockets, &asked, kind).await? {
            Reply::Records(records) => records,
            Reply::NoSuchName => return Err(Miss::NoSuchName),
            Reply::Truncated | Reply::Failed(_) => {
                return Err(Miss::ServersFailed); // `ask` never gives these
            }
        };
        match walk(&asked, &records, &mut links) {
            Walk::Addresses(addresses) => return Ok(addresses),
            Walk::NoAddress => return Ok(Vec::new()),
            Walk::TooLong => return Err(Miss::NoSuchName), // glibc's code
            Walk::LeftAnswer(target) => asked = target,
        }
    }
}
// ANCHOR_END: follow_chain

// ANCHOR: retry_loop
/// Asks the servers in turn, `attempts` rounds, each query with a new id,
/// until one answers. A server that fails (SERVFAIL, REFUSED) or cannot be
/// reached is passed over for the next.
async fn ask(
    config: &ResolverConfig,
    sockets: &Sockets,
    name: &Name<'static>,
    kind: AddressKind,
) -> Result<Reply, Miss> {
    let mut miss = Miss::Silent;
    for _ in 0..config.attempts {
        for &server in &config.nameservers {
            let query = Query::new(name.clone(), kind);
            match exchange(sockets, server, &query, config.timeout).await {
                Ok(Reply::Failed(_)) => miss = Miss::ServersFailed,
                Ok(reply) => return Ok(reply),
                Err(NoAnswer::Silent) => {}
                Err(NoAnswer::Unreachable(error)) => {
                    debug!("aio.dns", "could not ask {server}: {error}");
                }
            }
        }
    }
    Err(miss)
}
// ANCHOR_END: retry_loop

// ANCHOR: search_list
/// The names to try for `host`, in glibc's order: a name that ends in a dot
/// only as it is; one with at least `ndots` dots as it is, then with each
/// search domain; one with fewer, with the search domains first. Names too
/// long with a domain added are left out.
fn search_list(host: &str, config: &ResolverConfig) -> Vec<Name<'static>> {
    if host.ends_with('.') {
        return wire_name(host).into_iter().collect();
    }
    let searched =
        config.search.iter().map(|domain| format!("{host}.{domain}"));
    let searched = searched.filter(|name| check_name(name).is_ok());
    let mut names: Vec<String> = searched.collect();
    let dots = host.matches('.').count();
    if dots >= config.ndots {
        names.insert(0, host.to_owned());
    } else {
        names.push(host.to_owned());
    }
    names.iter().filter_map(|name| wire_name(name)).collect()
}
// ANCHOR_END: search_list

/// IPv6 addresses before IPv4, each family in the order given.
fn ipv6_first(mut addresses: Vec<IpAddr>) -> Vec<IpAddr> {
    addresses.sort_by_key(|ip| ip.is_ipv4()); // a stable sort
    addresses
}

fn gai(host: &str, miss: Miss) -> GaiError {
    GaiError::from_code(host, miss.code())
}

impl Resolver for StubResolver {
    fn resolve(&self, host: &str, port: u16) -> Resolving {
        let (resolver, host) = (self.clone(), host.to_owned());
        Box::pin(async move {
            let addresses = resolver.lookup_ip(&host).await?;
            let with_port = |ip| SocketAddr::new(ip, port);
            Ok(addresses.into_iter().map(with_port).collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(host: &str, search: &[&str], ndots: usize) -> Vec<String> {
        let config = ResolverConfig {
            search: search.iter().map(|d| d.to_string()).collect(),
            ndots,
            ..ResolverConfig::default()
        };
        search_list(host, &config).iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn a_short_name_tries_the_search_domains_first() {
        let list = names("www", &["a.example", "b.example"], 1);
        assert_eq!(list, ["www.a.example", "www.b.example", "www"]);
    }

    #[test]
    fn a_name_with_enough_dots_is_tried_as_it_is_first() {
        let list = names("www.example", &["a.example"], 1);
        assert_eq!(list, ["www.example", "www.example.a.example"]);
        let list = names("www.example", &["a.example"], 2);
        assert_eq!(list, ["www.example.a.example", "www.example"]);
    }

    #[test]
    fn a_trailing_dot_means_no_search() {
        assert_eq!(names("www.", &["a.example"], 1), ["www"]);
    }

    #[test]
    fn a_search_name_too_long_is_left_out() {
        let host = ["a".repeat(63), "b".repeat(63), "c".repeat(63)].join(".");
        let long = "d".repeat(63);
        assert_eq!(names(&host, &[&long], 1), [host.as_str()]);
    }

    #[test]
    fn ipv6_comes_first_and_each_family_keeps_its_order() {
        let given = ["192.0.2.2", "2001:db8::2", "192.0.2.1", "2001:db8::1"];
        let given = given.map(|ip| ip.parse().unwrap()).to_vec();
        let ordered: Vec<String> =
            ipv6_first(given).iter().map(|ip| ip.to_string()).collect();
        assert_eq!(
            ordered,
            ["2001:db8::2", "2001:db8::1", "192.0.2.2", "192.0.2.1"]
        );
    }
}
