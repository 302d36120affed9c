//! Chapter 10 (DNS): one question on the wire, and the check of an answer.
//!
//! A query is a 12-byte header (a random id, "recursion desired") and one
//! question: a name, a type (A or AAAA) and the class IN. An answer counts
//! only if it is the answer to that question: the same id, the response bit
//! set, a standard query, and the very question, the name compared without
//! regard to case. Anything else is somebody else's packet, or a forgery
//! (an attacker who cannot see our query must guess the id and the port), and
//! is ignored. The `simple-dns` crate reads and writes the format; this
//! module decides what the bytes mean for a lookup. It never panics, and a
//! message cannot make it allocate more than a small multiple of its size.

use simple_dns::rdata::RData;
use simple_dns::{
    CLASS, Name, OPCODE, Packet, PacketFlag, QCLASS, QTYPE, Question, RCODE,
    TYPE,
};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The two kinds of address a lookup asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddressKind {
    /// IPv4 addresses, type A.
    V4,
    /// IPv6 addresses, type AAAA.
    V6,
}

impl AddressKind {
    fn record_type(self) -> TYPE {
        match self {
            AddressKind::V4 => TYPE::A,
            AddressKind::V6 => TYPE::AAAA,
        }
    }
}

/// One question, ready to send: its id, what it asks, and its bytes.
#[derive(Debug, Clone)]
pub(crate) struct Query {
    pub(crate) id: u16,
    pub(crate) name: Name<'static>,
    pub(crate) kind: AddressKind,
    pub(crate) bytes: Vec<u8>,
}

/// A record of an answer that a lookup can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Record {
    /// `owner` has the address `ip`.
    Address { owner: Name<'static>, ip: IpAddr },
    /// `owner` is another name for `target` (a CNAME).
    Alias { owner: Name<'static>, target: Name<'static> },
}

/// What a server said to our question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply {
    /// The name exists; these are the usable records of the answer section
    /// (perhaps none: the name has no address of this kind).
    Records(Vec<Record>),
    /// The name does not exist (NXDOMAIN).
    NoSuchName,
    /// The answer did not fit in a datagram: ask again over TCP.
    Truncated,
    /// The server could not or would not answer (SERVFAIL, REFUSED, ...):
    /// ask the next one.
    Failed(RCODE),
}

/// `name` (already checked by `check_name`) as the format writes it, or
/// `None` if the format cannot carry it (a bad `\` escape, a label too long
/// once unescaped). Escapes mean what they mean to the C library's
/// `res_mkquery`: `a\.b` is one label.
pub(crate) fn wire_name(name: &str) -> Option<Name<'static>> {
    Some(Name::new(name).ok()?.into_owned())
}

impl Query {
    /// Builds the query for `name` with a fresh random id.
    pub(crate) fn new(name: Name<'static>, kind: AddressKind) -> Query {
        let id = random_id();
        let mut packet = Packet::new_query(id);
        packet.set_flags(PacketFlag::RECURSION_DESIRED);
        packet.questions.push(question(&name, kind));
        // Writing into a `Vec` cannot fail, and a name that `Name::new`
        // accepted always fits the format; an empty query would only go
        // unanswered.
        let bytes = packet.build_bytes_vec().unwrap_or_default();
        Query { id, name, kind, bytes }
    }
}

fn question<'a>(name: &Name<'a>, kind: AddressKind) -> Question<'a> {
    let qtype = QTYPE::TYPE(kind.record_type());
    Question::new(name.clone(), qtype, QCLASS::CLASS(CLASS::IN), false)
}

/// Whether `asked` is our question: the name (without regard to case, as
/// `Name`'s equality compares), the type and the class.
fn same_question(asked: &Question<'_>, query: &Query) -> bool {
    let ours = question(&query.name, query.kind);
    asked.qname == ours.qname
        && asked.qtype == ours.qtype
        && asked.qclass == ours.qclass
        && !asked.unicast_response
}

// ANCHOR: random_id
/// A query id nobody off the path can guess: 16 bits from the kernel's
/// random pool. Should the call fail (a kernel before 3.17), the standard
/// library's randomly keyed hasher stands in.
pub(crate) fn random_id() -> u16 {
    let mut id = [0u8; 2];
    // SAFETY: `id` is a writable buffer of exactly the 2 bytes we pass as
    // its length; `getrandom` writes at most that many and nothing else.
    let filled = unsafe { libc::getrandom(id.as_mut_ptr().cast(), 2, 0) };
    if filled == 2 {
        return u16::from_ne_bytes(id);
    }
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::Instant::now()) as u16
}
// ANCHOR_END: random_id

// ANCHOR: check_answer
/// What `bytes` say about `query`, or `None` if they are not its answer:
/// unreadable, another id, not a response, another question. The caller
/// ignores those and goes on waiting.
pub(crate) fn check_answer(query: &Query, bytes: &[u8]) -> Option<Reply> {
    if !counts_fit(bytes) {
        return None;
    }
    let packet = Packet::parse(bytes).ok()?;
    let ours = packet.id() == query.id
        && packet.has_flags(PacketFlag::RESPONSE)
        && packet.opcode() == OPCODE::StandardQuery
        && packet.questions.len() == 1
        && same_question(&packet.questions[0], query);
    if !ours {
        return None;
    }
    if packet.has_flags(PacketFlag::TRUNCATION) {
        return Some(Reply::Truncated);
    }
    Some(match packet.rcode() {
        RCODE::NoError => Reply::Records(usable(&packet, query.kind)),
        RCODE::NameError => Reply::NoSuchName,
        other => Reply::Failed(other),
    })
}
// ANCHOR_END: check_answer

/// Whether the header's counts could fit in the message: a question takes
/// at least 5 bytes and a record 11. The parser reserves room for as many
/// entries as the header claims, so without this check 12 bytes could ask
/// it for megabytes.
fn counts_fit(bytes: &[u8]) -> bool {
    let Some((header, body)) = bytes.split_first_chunk::<12>() else {
        return false;
    };
    let count = |at: usize| u16::from_be_bytes([header[at], header[at + 1]]);
    let records = [6, 8, 10].map(|at| usize::from(count(at)));
    let least = usize::from(count(4)) * 5 + records.iter().sum::<usize>() * 11;
    least <= body.len()
}

/// The answer section's records of the question's class that a lookup can
/// use: addresses of the kind asked for, and aliases.
fn usable(packet: &Packet<'_>, kind: AddressKind) -> Vec<Record> {
    let in_class = packet.answers.iter().filter(|r| r.class == CLASS::IN);
    in_class
        .filter_map(|record| {
            let owner = record.name.clone().into_owned();
            match (&record.rdata, kind) {
                (RData::A(a), AddressKind::V4) => Some(Record::Address {
                    owner,
                    ip: IpAddr::V4(Ipv4Addr::from(a.address)),
                }),
                (RData::AAAA(aaaa), AddressKind::V6) => Some(Record::Address {
                    owner,
                    ip: IpAddr::V6(Ipv6Addr::from(aaaa.address)),
                }),
                (RData::CNAME(cname), _) => Some(Record::Alias {
                    owner,
                    target: cname.0.clone().into_owned(),
                }),
                _ => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use simple_dns::ResourceRecord;
    use simple_dns::rdata::{A, AAAA, CNAME};

    fn query() -> Query {
        let name = wire_name("www.example.com").unwrap();
        Query::new(name, AddressKind::V4)
    }

    /// The answer a good server gives to `query()`, before any changes.
    fn reply_to(query: &Query) -> Packet<'static> {
        let mut reply = Packet::new_reply(query.id);
        reply.set_flags(PacketFlag::RECURSION_DESIRED);
        let upper = Name::new("WWW.Example.COM").unwrap().into_owned();
        reply.questions.push(question(&upper, query.kind));
        let target = Name::new("web.example.com").unwrap().into_owned();
        let cname = RData::CNAME(CNAME(target.clone()));
        reply.answers.push(ResourceRecord::new(upper, CLASS::IN, 60, cname));
        let a = RData::A(A { address: 0xC000_0207 });
        reply.answers.push(ResourceRecord::new(target, CLASS::IN, 60, a));
        reply
    }

    fn check(query: &Query, reply: &Packet<'_>) -> Option<Reply> {
        check_answer(query, &reply.build_bytes_vec().unwrap())
    }

    #[test]
    fn a_matching_answer_gives_its_aliases_and_addresses() {
        let query = query();
        let Some(Reply::Records(records)) = check(&query, &reply_to(&query))
        else {
            panic!("the answer was not accepted");
        };
        assert_eq!(records.len(), 2);
        assert!(matches!(&records[1], Record::Address { ip, .. }
            if *ip == "192.0.2.7".parse::<IpAddr>().unwrap()));
    }

    #[test]
    fn the_query_asks_for_recursion_and_one_question() {
        let query = query();
        let packet = Packet::parse(&query.bytes).unwrap();
        assert_eq!(packet.id(), query.id);
        assert!(packet.has_flags(PacketFlag::RECURSION_DESIRED));
        assert!(!packet.has_flags(PacketFlag::RESPONSE));
        assert_eq!(packet.questions.len(), 1);
        assert!(same_question(&packet.questions[0], &query));
    }

    #[test]
    fn an_answer_to_another_question_is_ignored() {
        let query = query();
        let mut wrong_id = reply_to(&query);
        wrong_id.set_id(query.id ^ 1);
        let mut not_a_response = reply_to(&query);
        not_a_response.remove_flags(PacketFlag::RESPONSE);
        let mut other_name = reply_to(&query);
        let name = Name::new("ww.example.com").unwrap().into_owned();
        other_name.questions[0] = question(&name, AddressKind::V4);
        let mut other_type = reply_to(&query);
        other_type.questions[0] = question(&query.name, AddressKind::V6);
        let mut no_question = reply_to(&query);
        no_question.questions.clear();
        let mut other_opcode = reply_to(&query);
        *other_opcode.opcode_mut() = OPCODE::Notify;
        for packet in [
            wrong_id,
            not_a_response,
            other_name,
            other_type,
            no_question,
            other_opcode,
        ] {
            assert_eq!(check(&query, &packet), None, "{packet:?}");
        }
    }

    #[test]
    fn records_of_another_kind_or_class_are_left_out() {
        let query = query();
        let mut reply = reply_to(&query);
        let aaaa = RData::AAAA(AAAA { address: 1 });
        reply.answers.push(ResourceRecord::new(
            query.name.clone(),
            CLASS::IN,
            60,
            aaaa,
        ));
        let a = RData::A(A { address: 1 });
        reply.answers.push(ResourceRecord::new(
            query.name.clone(),
            CLASS::CH,
            60,
            a,
        ));
        let Some(Reply::Records(records)) = check(&query, &reply) else {
            panic!("the answer was not accepted");
        };
        assert_eq!(records.len(), 2, "{records:?}");
    }

    #[test]
    fn the_response_code_and_truncation_bit_are_read() {
        let query = query();
        let mut truncated = reply_to(&query);
        truncated.set_flags(PacketFlag::TRUNCATION);
        assert_eq!(check(&query, &truncated), Some(Reply::Truncated));
        let mut missing = reply_to(&query);
        *missing.rcode_mut() = RCODE::NameError;
        assert_eq!(check(&query, &missing), Some(Reply::NoSuchName));
        let mut refused = reply_to(&query);
        *refused.rcode_mut() = RCODE::Refused;
        let failed = Some(Reply::Failed(RCODE::Refused));
        assert_eq!(check(&query, &refused), failed);
    }

    #[test]
    fn a_header_that_claims_more_than_the_message_holds_is_refused_unread() {
        let query = query();
        let mut bytes = reply_to(&query).build_bytes_vec().unwrap();
        assert!(counts_fit(&bytes));
        // 65535 answers claimed: the parser would reserve room for them all.
        bytes[6..8].copy_from_slice(&u16::MAX.to_be_bytes());
        assert!(!counts_fit(&bytes));
        assert_eq!(check_answer(&query, &bytes), None);
        assert!(!counts_fit(&bytes[..11]));
    }

    proptest::proptest! {
        #[test]
        fn random_bytes_never_panic_the_check(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600)
        ) {
            let _ = check_answer(&query(), &bytes);
        }

        #[test]
        fn a_mangled_answer_never_panics_the_check(
            flips in proptest::collection::vec((0usize..200, 0u8..=255), 1..8)
        ) {
            let query = query();
            let mut bytes = reply_to(&query).build_bytes_vec().unwrap();
            for (at, value) in flips {
                let at = at % bytes.len();
                bytes[at] = value;
            }
            let _ = check_answer(&query, &bytes);
        }
    }
}
