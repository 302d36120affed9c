//! Chapter 10 (DNS): following CNAMEs through an answer.
//!
//! Asked for `www.example.com`, a server may answer "`www.example.com` is
//! another name for `web.example.net`, and `web.example.net` has address
//! 192.0.2.7". The records can come in any order, and only those on the
//! chain from the name asked count: a record for some other name is not an
//! answer to our question (trusting it would let a server plant addresses
//! for names it was never asked about). A chain is cut after
//! [`MAX_CHAIN`] links, so an answer with a loop ends the walk, and the
//! lookup fails with `EAI_NONAME`, as glibc's does.
//!
//! A recursive server follows the chain itself, and puts every link in its
//! answer. One that stops early (an alias into a zone it could not reach)
//! leaves the walk at a name without records; the stub then asks for that
//! name. glibc 2.36 does not: it reports `EAI_NONAME` for such an answer.

use crate::ch10_dns::dns_message::Record;
use simple_dns::Name;
use std::net::IpAddr;

/// The most aliases followed for one name, across the answers of all its
/// queries (glibc and musl stop at about as many).
pub(crate) const MAX_CHAIN: usize = 8;

/// Where a walk through an answer ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Walk {
    /// At a name with addresses: these, in the answer's order.
    Addresses(Vec<IpAddr>),
    /// At an alias whose target the answer says nothing about: ask for it.
    LeftAnswer(Name<'static>),
    /// At the name asked, which has no address (and no alias).
    NoAddress,
    /// At the end of the chain's length, most likely in a loop.
    TooLong,
}

// ANCHOR: cname_walk
/// Walks from `name` along the aliases of `records` to the addresses.
/// `links` is what is left of the chain's length; each alias spends one.
pub(crate) fn walk(
    name: &Name<'_>,
    records: &[Record],
    links: &mut usize,
) -> Walk {
    let mut current = name.clone().into_owned();
    loop {
        let addresses = addresses_of(&current, records);
        if !addresses.is_empty() {
            return Walk::Addresses(addresses);
        }
        match alias_of(&current, records) {
            Some(_) if *links == 0 => return Walk::TooLong,
            Some(target) => {
                *links -= 1;
                current = target;
            }
            None if current == *name => return Walk::NoAddress,
            None => return Walk::LeftAnswer(current),
        }
    }
}
// ANCHOR_END: cname_walk

/// The addresses `records` give `name`, in their order.
fn addresses_of(name: &Name<'_>, records: &[Record]) -> Vec<IpAddr> {
    let of_name = |record: &Record| match record {
        Record::Address { owner, ip } if owner == name => Some(*ip),
        _ => None,
    };
    records.iter().filter_map(of_name).collect()
}

/// The target of `name`'s alias in `records`, if it has one.
fn alias_of(name: &Name<'_>, records: &[Record]) -> Option<Name<'static>> {
    let of_name = |record: &Record| match record {
        Record::Alias { owner, target } if owner == name => {
            Some(target.clone())
        }
        _ => None,
    };
    records.iter().find_map(of_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Name<'static> {
        Name::new(text).unwrap().into_owned()
    }

    fn alias(owner: &str, target: &str) -> Record {
        Record::Alias { owner: name(owner), target: name(target) }
    }

    fn address(owner: &str, ip: &str) -> Record {
        Record::Address { owner: name(owner), ip: ip.parse().unwrap() }
    }

    fn ips(list: &[&str]) -> Walk {
        Walk::Addresses(list.iter().map(|ip| ip.parse().unwrap()).collect())
    }

    #[test]
    fn a_chain_in_any_order_leads_to_its_addresses() {
        let records = [
            address("c.example", "192.0.2.3"),
            alias("B.example", "c.example"),
            address("c.example", "192.0.2.4"),
            alias("a.example", "b.example"),
        ];
        let mut links = MAX_CHAIN;
        let walked = walk(&name("A.Example"), &records, &mut links);
        assert_eq!(walked, ips(&["192.0.2.3", "192.0.2.4"]));
        assert_eq!(links, MAX_CHAIN - 2);
    }

    #[test]
    fn addresses_off_the_chain_are_not_an_answer() {
        let records = [address("elsewhere.example", "192.0.2.66")];
        let mut links = MAX_CHAIN;
        assert_eq!(
            walk(&name("a.example"), &records, &mut links),
            Walk::NoAddress
        );
    }

    #[test]
    fn a_chain_that_leaves_the_answer_names_its_last_target() {
        let records = [alias("a.example", "b.example")];
        let mut links = MAX_CHAIN;
        let walked = walk(&name("a.example"), &records, &mut links);
        assert_eq!(walked, Walk::LeftAnswer(name("b.example")));
    }

    #[test]
    fn a_loop_ends_when_the_links_run_out() {
        let records =
            [alias("a.example", "b.example"), alias("b.example", "a.example")];
        let mut links = MAX_CHAIN;
        assert_eq!(
            walk(&name("a.example"), &records, &mut links),
            Walk::TooLong
        );
        assert_eq!(links, 0);
    }
}
