//! The graders of chapter 10's exercises, one module per exercise.
//!
//! `cargo test -p ch10-dns --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.

// The name server of the runtime's own DNS tests: threads on 127.0.0.1
// that answer from a table, or misbehave as a test asks.
#[path = "../../../tests/support/dns_responder.rs"]
mod dns_responder;

mod search_order {
    use super::grading::{asked_names, nxdomain_server};
    use aio::ResolverConfig;
    use ch10_dns::exercises::search_order::names_to_try;
    use std::time::Duration;

    /// What the real stub resolver asks for `host` under `search` and
    /// `ndots`, next to what `names_to_try` says it asks.
    fn compare(host: &str, search: &[&str], ndots: usize) {
        let server = nxdomain_server();
        let config = ResolverConfig {
            nameservers: vec![server.address()],
            search: search.iter().map(|domain| domain.to_string()).collect(),
            ndots,
            timeout: Duration::from_secs(5),
            attempts: 1,
            ..ResolverConfig::default()
        };
        let stub = aio::StubResolver::new(config.clone());
        let host_owned = host.to_owned();
        let looked_up =
            aio::run(async move { stub.lookup_ip(&host_owned).await })
                .expect("the loop runs");
        assert!(looked_up.is_err(), "the grader's server knows no name");
        let asked = asked_names(&server);
        let yours = names_to_try(host, &config);
        assert_eq!(
            yours, asked,
            "for {host:?} with search {search:?} and ndots {ndots}, the stub \
             resolver asked for the names on the right, in that order"
        );
    }

    #[test]
    fn a_short_name_tries_the_search_domains_first() {
        compare("www", &["corp.example", "example.net"], 1);
    }

    #[test]
    fn a_name_with_enough_dots_is_tried_as_it_is_first() {
        compare("www.example", &["corp.example"], 1);
        compare("a.b.c", &["corp.example", "example.net"], 2);
    }

    #[test]
    fn ndots_counts_the_dots_of_the_name() {
        compare("www.example", &["corp.example"], 2);
        compare("www", &["corp.example"], 0);
    }

    #[test]
    fn a_trailing_dot_means_no_search() {
        compare("www.example.", &["corp.example", "example.net"], 1);
        compare("www.", &["corp.example"], 1);
    }
}

mod query_message {
    use super::grading::{Mode, Responder, Zone, ask_over_udp};
    use ch10_dns::exercises::query_message::{TYPE_A, TYPE_AAAA, encode_query};
    use simple_dns::{CLASS, OPCODE, Packet, PacketFlag, QCLASS, QTYPE, TYPE};

    fn parsed(message: &[u8]) -> Packet<'_> {
        Packet::parse(message).unwrap_or_else(|error| {
            panic!(
                "your query does not parse as a DNS message ({error}): \
                 {message:02x?}"
            )
        })
    }

    #[test]
    fn the_header_asks_one_question_recursively() {
        let message = encode_query(0xBEEF, "www.example.com", TYPE_A);
        assert!(
            message.len() >= 12,
            "a DNS message starts with a 12-byte header; yours has {} bytes",
            message.len()
        );
        let packet = parsed(&message);
        assert_eq!(packet.id(), 0xBEEF, "the header's first field is the id");
        assert!(
            !packet.has_flags(PacketFlag::RESPONSE),
            "the QR bit must be 0: this is a query, not a response"
        );
        assert_eq!(packet.opcode(), OPCODE::StandardQuery, "opcode 0");
        assert!(
            packet.has_flags(PacketFlag::RECURSION_DESIRED),
            "set RD (0x0100): a stub asks the server to find the answer"
        );
        assert_eq!(packet.questions.len(), 1, "QDCOUNT must be 1");
        let records = [&packet.answers, &packet.name_servers];
        assert!(
            records.iter().all(|section| section.is_empty())
                && packet.additional_records.is_empty(),
            "a query carries no records: ANCOUNT, NSCOUNT, ARCOUNT are 0"
        );
    }

    #[test]
    fn the_question_names_the_name_its_type_and_class() {
        for (record_type, expected) in
            [(TYPE_A, TYPE::A), (TYPE_AAAA, TYPE::AAAA)]
        {
            let message = encode_query(7, "Mail.Example.org", record_type);
            let packet = parsed(&message);
            let question = packet.questions.first().expect("one question");
            assert_eq!(question.qname.to_string(), "Mail.Example.org");
            assert_eq!(question.qtype, QTYPE::TYPE(expected), "the type");
            assert_eq!(question.qclass, QCLASS::CLASS(CLASS::IN), "class IN");
            let question_length = "Mail.Example.org".len() + 2 + 4;
            assert_eq!(
                message.len(),
                12 + question_length,
                "the header and the question, nothing more: labels \
                 (\\x04Mail\\x07Example\\x03org\\x00), type, class"
            );
        }
    }

    #[test]
    fn a_trailing_dot_is_the_same_name() {
        let plain = encode_query(1, "www.example", TYPE_A);
        assert!(!plain.is_empty(), "encode_query gave no bytes");
        assert_eq!(
            encode_query(1, "www.example.", TYPE_A),
            plain,
            "the trailing dot is the root's empty label, which every name \
             ends with anyway: it must not add another"
        );
    }

    #[test]
    fn a_name_server_answers_it() {
        let zone = Zone::new()
            .a("printer.example", "192.0.2.7")
            .aaaa("printer.example", "2001:db8::7");
        let server = Responder::start(zone, Mode::Answer);
        for (record_type, address) in
            [(TYPE_A, "192.0.2.7"), (TYPE_AAAA, "2001:db8::7")]
        {
            let query = encode_query(4242, "printer.example", record_type);
            let reply = ask_over_udp(&server, &query);
            let reply = Packet::parse(&reply).expect("the server's reply");
            assert_eq!(reply.id(), 4242, "the reply carries the query's id");
            let found: Vec<String> = reply
                .answers
                .iter()
                .map(|record| match &record.rdata {
                    simple_dns::rdata::RData::A(a) => {
                        std::net::Ipv4Addr::from(a.address).to_string()
                    }
                    simple_dns::rdata::RData::AAAA(a) => {
                        std::net::Ipv6Addr::from(a.address).to_string()
                    }
                    other => format!("{other:?}"),
                })
                .collect();
            assert_eq!(found, [address], "the server's answer to your query");
        }
    }
}

mod answer_records {
    use super::grading::{Mode, Responder, Zone, ask_over_udp, ips};
    use ch10_dns::exercises::answer_records::{AnswerError, decode_answer};
    use simple_dns::rdata::{A, AAAA, CNAME, RData, TXT};
    use simple_dns::{
        CLASS, Name, Packet, PacketFlag, QCLASS, QTYPE, Question, RCODE,
        ResourceRecord, TYPE,
    };
    use std::net::{Ipv4Addr, Ipv6Addr};

    const A_TYPE: u16 = 1;
    const AAAA_TYPE: u16 = 28;

    fn name(text: &str) -> Name<'static> {
        Name::new_unchecked(text).into_owned()
    }

    fn a(owner: &str, ip: &str) -> ResourceRecord<'static> {
        let ip: Ipv4Addr = ip.parse().unwrap();
        let data = RData::A(A { address: u32::from(ip) });
        ResourceRecord::new(name(owner), CLASS::IN, 60, data)
    }

    fn aaaa(owner: &str, ip: &str) -> ResourceRecord<'static> {
        let ip: Ipv6Addr = ip.parse().unwrap();
        let data = RData::AAAA(AAAA { address: u128::from(ip) });
        ResourceRecord::new(name(owner), CLASS::IN, 60, data)
    }

    fn cname(owner: &str, target: &str) -> ResourceRecord<'static> {
        let data = RData::CNAME(CNAME(name(target)));
        ResourceRecord::new(name(owner), CLASS::IN, 60, data)
    }

    fn txt(owner: &str) -> ResourceRecord<'static> {
        let text = TXT::new().with_string("not an address").unwrap();
        ResourceRecord::new(name(owner), CLASS::IN, 60, RData::TXT(text))
    }

    /// A server's reply to query `id` for `asked`/`kind`, with `records`.
    fn reply(
        id: u16,
        asked: &str,
        kind: TYPE,
        records: Vec<ResourceRecord<'static>>,
    ) -> Packet<'static> {
        let mut packet = Packet::new_reply(id);
        packet.set_flags(PacketFlag::RECURSION_DESIRED);
        let class = QCLASS::CLASS(CLASS::IN);
        let question =
            Question::new(name(asked), QTYPE::TYPE(kind), class, false);
        packet.questions.push(question);
        packet.answers = records;
        packet
    }

    fn bytes(packet: &Packet) -> Vec<u8> {
        packet.build_bytes_vec().expect("the grader's message builds")
    }

    fn compressed(packet: &Packet) -> Vec<u8> {
        packet.build_bytes_vec_compressed().expect("the message builds")
    }

    fn alias_chain() -> Packet<'static> {
        let records = vec![
            cname("www.example.com", "web.example.net"),
            cname("web.example.net", "edge.example.net"),
            a("edge.example.net", "192.0.2.10"),
            a("edge.example.net", "192.0.2.11"),
        ];
        reply(9, "www.example.com", TYPE::A, records)
    }

    #[test]
    fn reads_the_addresses_of_a_plain_answer() {
        let records =
            vec![a("one.example", "192.0.2.1"), a("one.example", "192.0.2.2")];
        let message = bytes(&reply(1, "one.example", TYPE::A, records));
        assert_eq!(
            decode_answer(&message, 1, "one.example", A_TYPE),
            Ok(ips(&["192.0.2.1", "192.0.2.2"])),
            "two A records for the name asked: both, in message order"
        );
        let records = vec![aaaa("one.example", "2001:db8::1")];
        let message = bytes(&reply(2, "one.example", TYPE::AAAA, records));
        assert_eq!(
            decode_answer(&message, 2, "one.example", AAAA_TYPE),
            Ok(ips(&["2001:db8::1"])),
            "an AAAA record's data is 16 bytes of IPv6 address"
        );
    }

    #[test]
    fn follows_names_compressed_by_pointers() {
        let chain = alias_chain();
        let message = compressed(&chain);
        assert!(
            message.len() < bytes(&chain).len(),
            "the grader's compressed message should be shorter"
        );
        assert_eq!(
            decode_answer(&message, 9, "www.example.com", A_TYPE),
            Ok(ips(&["192.0.2.10", "192.0.2.11"])),
            "in this message the owners and the CNAME targets are written \
             as pointers (two bits 11, then a 14-bit offset from the start \
             of the message) to names written earlier"
        );
    }

    #[test]
    fn follows_aliases_and_ignores_other_names() {
        let mut chain = alias_chain();
        chain.answers.insert(0, a("planted.invalid", "203.0.113.66"));
        chain.answers.insert(2, txt("edge.example.net"));
        chain.answers.push(aaaa("edge.example.net", "2001:db8::66"));
        chain.answers.push(a("www.example.org", "203.0.113.67"));
        for message in [bytes(&chain), compressed(&chain)] {
            assert_eq!(
                decode_answer(&message, 9, "WWW.Example.COM.", A_TYPE),
                Ok(ips(&["192.0.2.10", "192.0.2.11"])),
                "only the A records of the chain's last name count: not a \
                 record for a name that is not on the chain, not a TXT or \
                 AAAA record; and names compare without case or final dot"
            );
        }
    }

    #[test]
    fn a_loop_of_aliases_or_no_record_is_no_address() {
        let chain = alias_chain();
        assert_eq!(
            decode_answer(&bytes(&chain), 9, "www.example.com", A_TYPE),
            Ok(ips(&["192.0.2.10", "192.0.2.11"])),
            "a chain of aliases ends at the addresses"
        );
        let looped = vec![
            cname("a.example", "b.example"),
            cname("b.example", "a.example"),
        ];
        let message = bytes(&reply(3, "a.example", TYPE::A, looped));
        assert_eq!(
            decode_answer(&message, 3, "a.example", A_TYPE),
            Ok(vec![]),
            "a loop of aliases must end the walk (after a bounded number of \
             links) with no address"
        );
        let empty = bytes(&reply(4, "bare.example", TYPE::A, vec![]));
        assert_eq!(
            decode_answer(&empty, 4, "bare.example", A_TYPE),
            Ok(vec![])
        );
    }

    #[test]
    fn drops_what_is_not_the_answer() {
        let genuine = bytes(&alias_chain());
        let ask = |message: &[u8], id, asked, kind| {
            decode_answer(message, id, asked, kind)
        };
        assert!(ask(&genuine, 9, "www.example.com", A_TYPE).is_ok());
        let cases = [
            (ask(&genuine, 10, "www.example.com", A_TYPE), "another id"),
            (ask(&genuine, 9, "www.example.org", A_TYPE), "another name"),
            (ask(&genuine, 9, "www.example.com", AAAA_TYPE), "another type"),
        ];
        for (decoded, why) in cases {
            assert_eq!(
                decoded,
                Err(AnswerError::NotTheAnswer),
                "an answer to {why} is not our answer"
            );
        }
        let mut query = alias_chain();
        query.remove_flags(PacketFlag::RESPONSE);
        assert_eq!(
            ask(&bytes(&query), 9, "www.example.com", A_TYPE),
            Err(AnswerError::NotTheAnswer),
            "with the QR bit 0 this is a query (our own, echoed?), not an \
             answer"
        );
        let mut two_questions = alias_chain();
        let extra = two_questions.questions[0].clone();
        two_questions.questions.push(extra);
        assert_eq!(
            ask(&bytes(&two_questions), 9, "www.example.com", A_TYPE),
            Err(AnswerError::NotTheAnswer),
            "an answer repeats exactly one question, ours"
        );
    }

    #[test]
    fn reports_what_the_server_says() {
        let answered = bytes(&reply(
            5,
            "gone.example",
            TYPE::A,
            vec![a("gone.example", "192.0.2.5")],
        ));
        assert_eq!(
            decode_answer(&answered, 5, "gone.example", A_TYPE),
            Ok(ips(&["192.0.2.5"]))
        );
        let with_rcode = |rcode| {
            let mut packet = reply(5, "gone.example", TYPE::A, vec![]);
            *packet.rcode_mut() = rcode;
            bytes(&packet)
        };
        let cases = [
            (RCODE::NameError, AnswerError::NoSuchName, "NXDOMAIN, 3"),
            (RCODE::ServerFailure, AnswerError::ServerFailed(2), "SERVFAIL"),
            (RCODE::Refused, AnswerError::ServerFailed(5), "REFUSED"),
        ];
        for (rcode, expected, what) in cases {
            let message = with_rcode(rcode);
            assert_eq!(
                decode_answer(&message, 5, "gone.example", A_TYPE),
                Err(expected),
                "the header's last four bits are the RCODE: {what}"
            );
        }
        let mut truncated = reply(5, "gone.example", TYPE::A, vec![]);
        truncated.set_flags(PacketFlag::TRUNCATION);
        assert_eq!(
            decode_answer(&bytes(&truncated), 5, "gone.example", A_TYPE),
            Err(AnswerError::Truncated),
            "the TC bit (0x0200) says the answer did not fit"
        );
    }

    #[test]
    fn broken_messages_are_malformed_not_a_panic() {
        let message = compressed(&alias_chain());
        assert!(
            decode_answer(&message, 9, "www.example.com", A_TYPE).is_ok(),
            "the whole message is an answer"
        );
        for cut in 0..message.len() {
            assert_eq!(
                decode_answer(&message[..cut], 9, "www.example.com", A_TYPE),
                Err(AnswerError::Malformed),
                "the first {cut} of the answer's {} bytes: the counts in the \
                 header promise more than there is",
                message.len()
            );
        }
        // A message with one A record, whose owner name is `owner`, written
        // at offset `at`, the end of the question.
        let question = bytes(&reply(6, "x.example", TYPE::A, vec![]));
        let at = question.len() as u16;
        let with_owner = |owner: &[u8]| {
            let mut message = question.clone();
            message[7] = 1; // ANCOUNT: one record
            message.extend_from_slice(owner);
            message.extend_from_slice(&[0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
            message.extend_from_slice(&[192, 0, 2, 9]);
            message
        };
        let pointer = |to: u16| (0xC000 | to).to_be_bytes().to_vec();
        let loops = [
            (pointer(at), "a pointer to itself"),
            ([vec![1, b'a'], pointer(at)].concat(), "a, then back to a"),
            (pointer(at + 2), "a pointer forward"),
        ];
        for (owner, what) in loops {
            assert_eq!(
                decode_answer(&with_owner(&owner), 6, "x.example", A_TYPE),
                Err(AnswerError::Malformed),
                "a record's name is {what}: a pointer must point to a name \
                 written before, or the reading may never end"
            );
        }
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2000 {
            let mut mangled = message.clone();
            for _ in 0..3 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state % mangled.len() as u64) as usize;
                mangled[at] = (state >> 32) as u8;
            }
            let _ = decode_answer(&mangled, 9, "www.example.com", A_TYPE);
        }
    }

    #[test]
    fn decodes_a_real_servers_answer() {
        let zone = Zone::new()
            .cname("www.example", "cdn.example")
            .a("cdn.example", "192.0.2.20")
            .aaaa("cdn.example", "2001:db8::20");
        let server = Responder::start(zone, Mode::Answer);
        for (kind, kind_code, expected) in [
            (TYPE::A, A_TYPE, "192.0.2.20"),
            (TYPE::AAAA, AAAA_TYPE, "2001:db8::20"),
        ] {
            let mut query = Packet::new_query(77);
            query.set_flags(PacketFlag::RECURSION_DESIRED);
            let class = QCLASS::CLASS(CLASS::IN);
            let question = Question::new(
                name("www.example"),
                QTYPE::TYPE(kind),
                class,
                false,
            );
            query.questions.push(question);
            let answer = ask_over_udp(&server, &bytes(&query));
            assert_eq!(
                decode_answer(&answer, 77, "www.example", kind_code),
                Ok(ips(&[expected])),
                "the grader's name server's answer: a CNAME, then the address"
            );
        }
    }
}

mod udp_lookup {
    use super::grading::{Mode, Responder, Zone, eventually, ips, within};
    use ch10_dns::exercises::udp_lookup::{LookupError, lookup};
    use std::rc::Rc;
    use std::time::Duration;

    const A: u16 = 1;
    const AAAA: u16 = 28;

    fn zone() -> Zone {
        Zone::new()
            .a("db.example", "192.0.2.31")
            .a("db.example", "192.0.2.32")
            .aaaa("db.example", "2001:db8::31")
    }

    #[test]
    fn asks_the_server_and_gives_its_addresses() {
        within(10, || {
            let server = Responder::start(zone(), Mode::Answer);
            let address = server.address();
            let (v4, v6) = aio::run(async move {
                let second = Duration::from_secs(3);
                let v4 = lookup(address, "db.example", A, second, 1).await;
                let v6 = lookup(address, "db.example", AAAA, second, 1).await;
                (v4, v6)
            })
            .unwrap();
            let v4 = v4.unwrap_or_else(|error| {
                panic!("the server answers db.example's A query: {error:?}")
            });
            assert_eq!(v4, ips(&["192.0.2.31", "192.0.2.32"]));
            assert_eq!(v6.expect("its AAAA query"), ips(&["2001:db8::31"]));
            let asked = server.asked();
            assert_eq!(asked.len(), 2, "one query per lookup: {asked:?}");
            assert_eq!((asked[0].qtype, asked[1].qtype), (A, AAAA));
        });
    }

    #[test]
    fn decoys_are_dropped_and_the_wait_goes_on() {
        within(10, || {
            let server = Responder::start(zone(), Mode::WrongIdFirst);
            let address = server.address();
            let found = aio::run(async move {
                lookup(address, "db.example", A, Duration::from_secs(3), 1)
                    .await
            })
            .unwrap();
            assert_eq!(
                found.expect("the real answer comes after the decoys"),
                ips(&["192.0.2.31", "192.0.2.32"]),
                "the server first sends an answer with another id, one to \
                 another question and garbage, each with 203.0.113.66: drop \
                 them, and wait on for the answer"
            );
        });
    }

    #[test]
    fn silence_is_asked_again_with_a_new_id() {
        within(10, || {
            let server = Responder::start(zone(), Mode::DropFirst);
            let address = server.address();
            let found = aio::run(async move {
                lookup(address, "db.example", A, Duration::from_millis(300), 3)
                    .await
            })
            .unwrap();
            assert_eq!(
                found.expect("the server answers the second query"),
                ips(&["192.0.2.31", "192.0.2.32"]),
                "the server drops the first query: after `timeout`, ask again"
            );
            let asked = server.asked();
            assert!(asked.len() >= 2, "one query was all it got: {asked:?}");
            assert_ne!(
                asked[0].id, asked[1].id,
                "each attempt needs a new id, or a forger who saw the first \
                 has all the time he wants"
            );
            assert_eq!(
                asked[0].port, asked[1].port,
                "the attempts of one lookup share its socket"
            );
        });
    }

    #[test]
    fn every_attempt_silent_is_a_timeout() {
        within(10, || {
            let server = Responder::start(zone(), Mode::Silent);
            let address = server.address();
            let found = aio::run(async move {
                lookup(address, "db.example", A, Duration::from_millis(100), 3)
                    .await
            })
            .unwrap();
            assert!(
                matches!(found, Err(LookupError::TimedOut)),
                "a server that never answers: TimedOut, got {found:?}"
            );
            eventually(|| server.queries() >= 3);
            let ids: Vec<u16> = server.asked().iter().map(|q| q.id).collect();
            assert_eq!(ids.len(), 3, "three attempts, three queries: {ids:?}");
            assert!(
                ids[0] != ids[1] || ids[1] != ids[2],
                "each attempt gets a new random id: {ids:?}"
            );
        });
    }

    #[test]
    fn the_servers_no_is_the_answer() {
        within(10, || {
            let (empty, failing, refusing) = (
                Responder::start(Zone::new(), Mode::Answer),
                Responder::start(zone(), Mode::ServFail),
                Responder::start(zone(), Mode::Refused),
            );
            let servers =
                [empty.address(), failing.address(), refusing.address()];
            let found = aio::run(async move {
                let mut found = Vec::new();
                for server in servers {
                    let second = Duration::from_secs(3);
                    found
                        .push(lookup(server, "db.example", A, second, 2).await);
                }
                found
            })
            .unwrap();
            assert!(
                matches!(found[0], Err(LookupError::NoSuchName)),
                "NXDOMAIN from a server that knows no name: {:?}",
                found[0]
            );
            assert!(matches!(found[1], Err(LookupError::ServerFailed(2))));
            assert!(matches!(found[2], Err(LookupError::ServerFailed(5))));
            assert_eq!(
                empty.queries() + failing.queries() + refusing.queries(),
                3,
                "an answer that says no ends the lookup: no second attempt"
            );
        });
    }

    #[test]
    fn the_loop_runs_while_the_answer_is_on_its_way() {
        within(10, || {
            let server = Rc::new(Responder::start(zone(), Mode::Answer));
            server.hold(); // no answer until the ticker lets it go
            let address = server.address();
            let releaser = server.clone();
            let found = aio::run(async move {
                let ticker = aio::spawn(async move {
                    for _ in 0..5 {
                        aio::sleep(Duration::from_millis(20)).await;
                    }
                    releaser.release();
                })
                .expect("spawn the ticker");
                let found =
                    lookup(address, "db.example", A, Duration::from_secs(5), 1)
                        .await;
                let _ = ticker.await;
                found
            })
            .unwrap();
            assert_eq!(
                found.expect("the answer comes once the ticker ran"),
                ips(&["192.0.2.31", "192.0.2.32"])
            );
        });
    }
}

/// What the graders share: the test name server, and bounds on waiting.
mod grading {
    pub use crate::dns_responder::{Mode, Responder, Zone};
    use crate::shared_grading::{self, Limit};
    use std::net::{IpAddr, UdpSocket};
    use std::time::{Duration, Instant};

    /// A server that says NXDOMAIN to every name.
    pub fn nxdomain_server() -> Responder {
        Responder::start(Zone::new(), Mode::Answer)
    }

    /// The names `server` was asked for, each once, in the order first
    /// asked.
    pub fn asked_names(server: &Responder) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for query in server.asked() {
            if !names.contains(&query.name) {
                names.push(query.name);
            }
        }
        names
    }

    /// Sends `query` to `server` from a std socket, and gives its reply.
    pub fn ask_over_udp(server: &Responder, query: &[u8]) -> Vec<u8> {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
        socket.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        socket.send_to(query, server.address()).expect("send");
        let mut buffer = [0u8; 4096];
        let (length, _) = socket.recv_from(&mut buffer).unwrap_or_else(|_| {
            panic!(
                "the grader's name server did not answer your query within \
                 5 s: it ignores what does not parse as a query"
            )
        });
        buffer[..length].to_vec()
    }

    pub fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|ip| ip.parse().unwrap()).collect()
    }

    /// Runs `test` on a thread of its own, and fails if it takes more than
    /// `seconds`: a lookup that blocks the loop, or never ends, fails the
    /// grader instead of hanging it.
    pub fn within(seconds: u64, test: impl FnOnce() + Send + 'static) {
        let why = "does the lookup block the loop, or wait without a timeout?";
        shared_grading::within(Limit::seconds(seconds, why), test);
    }

    /// Waits (at most 5 s) until `condition` holds.
    pub fn eventually(condition: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !condition() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
