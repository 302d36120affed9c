//! A name server for tests: std threads answering DNS over UDP and TCP on
//! 127.0.0.1, from a table the test writes, misbehaving as the test asks.
//! It counts every query it receives. Chapter 10's tests include this file
//! with `#[path]`; it never sends anything anywhere but back to the asker.

#![allow(dead_code)] // each test binary uses a different part

use simple_dns::rdata::{A, AAAA, CNAME, RData};
use simple_dns::{
    CLASS, Name, Packet, PacketFlag, QTYPE, RCODE, ResourceRecord, TYPE,
};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{
    IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, UdpSocket,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One entry of the table.
#[derive(Debug, Clone)]
enum Entry {
    Address(IpAddr),
    Alias(String),
    /// The name exists, with no address (NOERROR, no records).
    Exists,
}

/// The names a responder knows. A name not in it is NXDOMAIN.
#[derive(Debug, Clone, Default)]
pub struct Zone {
    entries: HashMap<String, Vec<Entry>>,
}

impl Zone {
    pub fn new() -> Zone {
        Zone::default()
    }

    fn add(mut self, name: &str, entry: Entry) -> Zone {
        self.entries.entry(key(name)).or_default().push(entry);
        self
    }

    /// An A record.
    pub fn a(self, name: &str, ip: &str) -> Zone {
        let ip: Ipv4Addr = ip.parse().expect("an IPv4 address");
        self.add(name, Entry::Address(ip.into()))
    }

    /// An AAAA record.
    pub fn aaaa(self, name: &str, ip: &str) -> Zone {
        let ip: Ipv6Addr = ip.parse().expect("an IPv6 address");
        self.add(name, Entry::Address(ip.into()))
    }

    /// A CNAME record: `name` is another name for `target`.
    pub fn cname(self, name: &str, target: &str) -> Zone {
        self.add(name, Entry::Alias(target.to_owned()))
    }

    /// A name that exists with no address.
    pub fn exists(self, name: &str) -> Zone {
        self.add(name, Entry::Exists)
    }
}

fn key(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// How a responder behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Answers from the table, following aliases as a recursive server does.
    Answer,
    /// Answers only the first link of an alias, leaving the rest out: the
    /// asker must ask for the target.
    AnswerOneLink,
    /// Never answers.
    Silent,
    /// Drops the first query for each question, then answers.
    DropFirst,
    /// Over UDP, answers with the truncation bit and no records; over TCP,
    /// answers in full.
    TruncateUdp,
    /// Sends an answer with the wrong id (and one to another question)
    /// before the right one.
    WrongIdFirst,
    /// Answers SERVFAIL.
    ServFail,
    /// Answers REFUSED.
    Refused,
}

/// A query received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub name: String,
    pub qtype: u16,
    pub tcp: bool,
    /// The query's id.
    pub id: u16,
    /// The port it came from.
    pub port: u16,
}

struct Shared {
    zone: Zone,
    mode: Mode,
    asked: Mutex<Vec<Asked>>,
    stop: AtomicBool,
    /// While true, queries wait (see [`Responder::hold`]).
    held: Mutex<bool>,
    released: Condvar,
}

/// A running responder; stops when dropped.
pub struct Responder {
    address: SocketAddr,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl Responder {
    /// Starts a responder on 127.0.0.1, on a port the kernel picks.
    pub fn start(zone: Zone, mode: Mode) -> Responder {
        for _ in 0..20 {
            let udp = UdpSocket::bind("127.0.0.1:0").expect("bind UDP");
            let address = udp.local_addr().expect("its address");
            if let Ok(tcp) = TcpListener::bind(address) {
                return Responder::serve(udp, tcp, zone, mode);
            }
        }
        panic!("no port was free for both UDP and TCP");
    }

    /// Starts a responder on `address` (127.0.0.1:53 in the sandbox).
    pub fn start_on(address: &str, zone: Zone, mode: Mode) -> Responder {
        let udp = UdpSocket::bind(address).expect("bind UDP");
        let tcp = TcpListener::bind(address).expect("bind TCP");
        Responder::serve(udp, tcp, zone, mode)
    }

    fn serve(
        udp: UdpSocket,
        tcp: TcpListener,
        zone: Zone,
        mode: Mode,
    ) -> Responder {
        let address = udp.local_addr().expect("its address");
        let shared = Arc::new(Shared {
            zone,
            mode,
            asked: Mutex::default(),
            stop: AtomicBool::new(false),
            held: Mutex::new(false),
            released: Condvar::new(),
        });
        udp.set_read_timeout(Some(Duration::from_millis(50)))
            .expect("a read timeout");
        let udp_shared = shared.clone();
        let tcp_shared = shared.clone();
        let threads = vec![
            std::thread::spawn(move || serve_udp(udp, &udp_shared)),
            std::thread::spawn(move || serve_tcp(tcp, &tcp_shared)),
        ];
        Responder { address, shared, threads }
    }

    /// Where it listens, for `ResolverConfig::nameservers`.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Every query received so far.
    pub fn asked(&self) -> Vec<Asked> {
        self.shared.asked.lock().unwrap().clone()
    }

    /// How many queries it received.
    pub fn queries(&self) -> usize {
        self.shared.asked.lock().unwrap().len()
    }

    /// Makes queries wait for [`Responder::release`] before their answer.
    pub fn hold(&self) {
        *self.shared.held.lock().unwrap() = true;
    }

    /// Lets held queries (and those to come) be answered.
    pub fn release(&self) {
        *self.shared.held.lock().unwrap() = false;
        self.shared.released.notify_all();
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.release();
        // Wake the accept loop.
        let _ = TcpStream::connect(self.address);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn serve_udp(socket: UdpSocket, shared: &Shared) {
    let mut buffer = [0u8; 4096];
    let mut seen: Vec<(String, u16)> = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) {
        let Ok((length, from)) = socket.recv_from(&mut buffer) else {
            continue; // the read timeout: look at `stop` again
        };
        let query = &buffer[..length];
        let Some(asked) = shared.record(query, false, from.port()) else {
            continue;
        };
        shared.wait_while_held();
        let first = !seen.contains(&(asked.name.clone(), asked.qtype));
        seen.push((asked.name.clone(), asked.qtype));
        let replies = match shared.mode {
            Mode::Silent => vec![],
            Mode::DropFirst if first => vec![],
            Mode::TruncateUdp => vec![truncated(query)],
            Mode::WrongIdFirst => {
                let mut replies = decoys(query);
                replies.push(answer(query, &shared.zone, shared.mode));
                replies
            }
            mode => vec![answer(query, &shared.zone, mode)],
        };
        for reply in replies {
            let _ = socket.send_to(&reply, from);
        }
    }
}

fn serve_tcp(listener: TcpListener, shared: &Shared) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = stream else { continue };
        let port = stream.peer_addr().map_or(0, |peer| peer.port());
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        while let Some(query) = read_message(&mut stream) {
            if shared.record(&query, true, port).is_none() {
                break;
            }
            shared.wait_while_held();
            if shared.mode == Mode::Silent {
                continue;
            }
            let mode = match shared.mode {
                Mode::TruncateUdp | Mode::DropFirst | Mode::WrongIdFirst => {
                    Mode::Answer
                }
                mode => mode,
            };
            let reply = answer(&query, &shared.zone, mode);
            let length = (reply.len() as u16).to_be_bytes();
            if stream.write_all(&length).is_err()
                || stream.write_all(&reply).is_err()
            {
                break;
            }
        }
    }
}

fn read_message(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut length = [0u8; 2];
    stream.read_exact(&mut length).ok()?;
    let mut message = vec![0u8; usize::from(u16::from_be_bytes(length))];
    stream.read_exact(&mut message).ok()?;
    Some(message)
}

impl Shared {
    /// Notes a query; `None` if it is not one.
    fn record(&self, query: &[u8], tcp: bool, port: u16) -> Option<Asked> {
        let packet = Packet::parse(query).ok()?;
        let question = packet.questions.first()?;
        let asked = Asked {
            name: key(&question.qname.to_string()),
            qtype: question.qtype.into(),
            tcp,
            id: packet.id(),
            port,
        };
        self.asked.lock().unwrap().push(asked.clone());
        Some(asked)
    }

    /// Waits for [`Responder::release`], or half a minute: a test whose
    /// release never comes (its loop blocked) then fails on what it sees,
    /// instead of hanging.
    fn wait_while_held(&self) {
        let held = self.held.lock().unwrap();
        let guard = Duration::from_secs(30);
        let _ = self.released.wait_timeout_while(held, guard, |held| *held);
    }
}

/// The reply to `query`, its question copied, before any records.
fn reply_to<'a>(query: &Packet<'a>) -> Packet<'a> {
    let mut reply = Packet::new_reply(query.id());
    reply.set_flags(
        PacketFlag::RECURSION_DESIRED | PacketFlag::RECURSION_AVAILABLE,
    );
    reply.questions = query.questions.clone();
    reply
}

/// The full answer of a server in `mode` (Answer, AnswerOneLink, ServFail,
/// Refused).
fn answer(bytes: &[u8], zone: &Zone, mode: Mode) -> Vec<u8> {
    let query = Packet::parse(bytes).expect("recorded queries parse");
    let mut reply = reply_to(&query);
    match mode {
        Mode::ServFail => *reply.rcode_mut() = RCODE::ServerFailure,
        Mode::Refused => *reply.rcode_mut() = RCODE::Refused,
        _ => {
            let question = &query.questions[0];
            let found =
                lookup(zone, &question.qname.to_string(), question.qtype, mode);
            match found {
                Some(records) => reply.answers = records,
                None => *reply.rcode_mut() = RCODE::NameError,
            }
        }
    }
    reply.build_bytes_vec().expect("a reply builds")
}

/// The records answering `name`/`qtype`, following aliases; `None` for a
/// name that does not exist (at the end of the chain).
fn lookup(
    zone: &Zone,
    name: &str,
    qtype: QTYPE,
    mode: Mode,
) -> Option<Vec<ResourceRecord<'static>>> {
    let mut records = Vec::new();
    let mut current = key(name);
    for _ in 0..16 {
        let entries = zone.entries.get(&current)?;
        let alias = entries.iter().find_map(|entry| match entry {
            Entry::Alias(target) => Some(target.clone()),
            _ => None,
        });
        let owner = Name::new_unchecked(&current).into_owned();
        if let Some(target) = alias {
            let target_name = Name::new_unchecked(&target).into_owned();
            let rdata = RData::CNAME(CNAME(target_name));
            records.push(ResourceRecord::new(owner, CLASS::IN, 60, rdata));
            if mode == Mode::AnswerOneLink {
                return Some(records);
            }
            current = key(&target);
            continue;
        }
        for entry in entries {
            let rdata = match (entry, qtype) {
                (Entry::Address(IpAddr::V4(ip)), QTYPE::TYPE(TYPE::A)) => {
                    RData::A(A { address: u32::from(*ip) })
                }
                (Entry::Address(IpAddr::V6(ip)), QTYPE::TYPE(TYPE::AAAA)) => {
                    RData::AAAA(AAAA { address: u128::from(*ip) })
                }
                _ => continue,
            };
            records.push(ResourceRecord::new(
                owner.clone(),
                CLASS::IN,
                60,
                rdata,
            ));
        }
        return Some(records);
    }
    Some(records)
}

/// A reply with the truncation bit and no records.
fn truncated(bytes: &[u8]) -> Vec<u8> {
    let query = Packet::parse(bytes).expect("recorded queries parse");
    let mut reply = reply_to(&query);
    reply.set_flags(PacketFlag::TRUNCATION);
    reply.build_bytes_vec().expect("a reply builds")
}

/// Answers that are not the answer: the right one with another id, one to
/// another question, and some garbage. Each carries an address the real
/// answer does not have.
fn decoys(bytes: &[u8]) -> Vec<Vec<u8>> {
    let query = Packet::parse(bytes).expect("recorded queries parse");
    let planted =
        RData::A(A { address: u32::from(Ipv4Addr::new(203, 0, 113, 66)) });
    let mut wrong_id = reply_to(&query);
    wrong_id.set_id(query.id().wrapping_add(1));
    let owner = query.questions[0].qname.clone();
    wrong_id.answers.push(ResourceRecord::new(
        owner,
        CLASS::IN,
        60,
        planted.clone(),
    ));
    let mut other_question = reply_to(&query);
    let other = Name::new_unchecked("decoy.invalid").into_owned();
    other_question.questions[0].qname = other.clone();
    other_question.answers.push(ResourceRecord::new(
        other,
        CLASS::IN,
        60,
        planted,
    ));
    vec![
        wrong_id.build_bytes_vec().expect("a reply builds"),
        other_question.build_bytes_vec().expect("a reply builds"),
        b"\xff\xff not a DNS message".to_vec(),
    ]
}
