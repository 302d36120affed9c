//! Exercise 3 (project): reading a name server's answer (RFC 1035, section
//! 4), checking that it is the answer, and walking its aliases.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::ops::Range;

/// Why a datagram gave no addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// Not the answer to this query: another id, not a response, not a
    /// standard query, or another question. Drop it and wait on.
    NotTheAnswer,
    /// The answer did not fit in a datagram (the TC bit): ask over TCP.
    Truncated,
    /// The name does not exist (RCODE 3, NXDOMAIN).
    NoSuchName,
    /// The server failed with this RCODE (2: SERVFAIL, 5: REFUSED, ...).
    ServerFailed(u8),
    /// The bytes are not a well-formed DNS message.
    Malformed,
}

use AnswerError::{Malformed, NotTheAnswer};

const TYPE_CNAME: u16 = 5;
const CLASS_IN: u16 = 1;
const RCODE_NXDOMAIN: u8 = 3;
/// How many aliases the walk follows before it gives up, as glibc does.
const MAX_LINKS: usize = 16;
/// The longest name on the wire, labels, lengths and the final 0 (RFC 1035).
const MAX_NAME: usize = 255;

// ANCHOR: decode_answer
/// The addresses that `message` gives for `name`, if it is the answer to
/// the query with id `id` for records of type `record_type` (1: A, 28:
/// AAAA). Names compare without regard to case and trailing dot. Only the
/// records on the chain of aliases (CNAME, type 5) that starts at `name`
/// count; the addresses are those of the chain's last name, in message
/// order, and a message with none (or a loop of aliases) is `Ok` and empty.
pub fn decode_answer(
    message: &[u8],
    id: u16,
    name: &str,
    record_type: u16,
) -> Result<Vec<IpAddr>, AnswerError> {
    let mut reader = Reader { message, at: 0 };
    let header = Header::read(&mut reader)?;
    if header.id != id || !header.is_response() || header.opcode() != 0 {
        return Err(NotTheAnswer);
    }
    let asked = canonical(name);
    let question = (reader.name()?, reader.u16()?, reader.u16()?);
    if header.questions != 1 || question != (asked, record_type, CLASS_IN) {
        return Err(NotTheAnswer);
    }
    if header.is_truncated() {
        return Err(AnswerError::Truncated);
    }
    match header.rcode() {
        0 => {}
        RCODE_NXDOMAIN => return Err(AnswerError::NoSuchName),
        failure => return Err(AnswerError::ServerFailed(failure)),
    }
    let records: Vec<Record> = (0..header.answers)
        .map(|_| reader.record())
        .collect::<Result<_, _>>()?;
    walk(message, &records, question.0, record_type)
}
// ANCHOR_END: decode_answer

// ANCHOR: walk
/// Follows the aliases from `name`, then takes the addresses of the name
/// the chain ends at. A record for any other name is ignored: trusting it
/// would let a server plant addresses for names it was not asked about.
fn walk(
    message: &[u8],
    records: &[Record],
    mut name: String,
    record_type: u16,
) -> Result<Vec<IpAddr>, AnswerError> {
    let owned_by = |name: &str, kind: u16| {
        let name = name.to_owned();
        records.iter().filter(move |r| r.owner == name && r.kind == kind)
    };
    for _ in 0..MAX_LINKS {
        let Some(alias) = owned_by(&name, TYPE_CNAME).next() else { break };
        let target = Reader { message, at: alias.data.start }.name()?;
        name = target;
    }
    let addresses = owned_by(&name, record_type)
        .filter_map(|record| address(&message[record.data.clone()]))
        .collect();
    Ok(addresses)
}

/// An A record's four bytes or an AAAA record's sixteen; anything else is
/// not an address.
fn address(data: &[u8]) -> Option<IpAddr> {
    if let Ok(v4) = <[u8; 4]>::try_from(data) {
        return Some(IpAddr::V4(Ipv4Addr::from(v4)));
    }
    let v6 = <[u8; 16]>::try_from(data).ok()?;
    Some(IpAddr::V6(Ipv6Addr::from(v6)))
}
// ANCHOR_END: walk

/// A name as the walk compares it: lower case, no trailing dot.
fn canonical(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

/// The fixed 12 bytes at the start of every message.
struct Header {
    id: u16,
    flags: u16,
    questions: u16,
    answers: u16,
}

impl Header {
    fn read(reader: &mut Reader) -> Result<Header, AnswerError> {
        let (id, flags, questions, answers) =
            (reader.u16()?, reader.u16()?, reader.u16()?, reader.u16()?);
        reader.take(4)?; // authority and additional counts: not needed
        Ok(Header { id, flags, questions, answers })
    }

    fn is_response(&self) -> bool {
        self.flags & 0x8000 != 0
    }

    fn opcode(&self) -> u16 {
        (self.flags >> 11) & 0xF
    }

    fn is_truncated(&self) -> bool {
        self.flags & 0x0200 != 0
    }

    fn rcode(&self) -> u8 {
        (self.flags & 0xF) as u8
    }
}

/// One resource record: whose it is, its type, and where its data lies in
/// the message (a CNAME's target may point anywhere before it).
struct Record {
    owner: String,
    kind: u16,
    data: Range<usize>,
}

/// Reads a message front to back; every read past the end is `Malformed`.
struct Reader<'a> {
    message: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, length: usize) -> Result<Range<usize>, AnswerError> {
        let range = self.at..self.at.checked_add(length).ok_or(Malformed)?;
        self.message.get(range.clone()).ok_or(Malformed)?;
        self.at = range.end;
        Ok(range)
    }

    fn byte(&mut self) -> Result<u8, AnswerError> {
        let at = self.take(1)?.start;
        Ok(self.message[at])
    }

    fn u16(&mut self) -> Result<u16, AnswerError> {
        Ok(u16::from_be_bytes([self.byte()?, self.byte()?]))
    }

    // ANCHOR: name
    /// A name, in canonical form. A label's first two bits say what it is:
    /// `00`, a length and that many bytes; `11`, a pointer, 14 bits of
    /// offset to where the rest of the name is written. Each pointer must
    /// point further back than the one before (a name is compressed by
    /// pointing at one written earlier), which makes a loop impossible.
    fn name(&mut self) -> Result<String, AnswerError> {
        let mut labels = Vec::new();
        let mut reader = Reader { message: self.message, at: self.at };
        let mut resume_at = None; // after the first pointer
        let mut before = self.at; // where the next pointer must point before
        let mut spelled = 1; // the name's length on the wire, uncompressed
        loop {
            let length = reader.byte()?;
            match length >> 6 {
                0b00 if length == 0 => break,
                0b00 => {
                    let label = reader.take(usize::from(length))?;
                    spelled += 1 + label.len();
                    if spelled > MAX_NAME {
                        return Err(Malformed);
                    }
                    labels.push(String::from_utf8_lossy(&self.message[label]));
                }
                0b11 => {
                    let low = reader.byte()?;
                    let target =
                        usize::from(length & 0x3F) << 8 | usize::from(low);
                    if target >= before {
                        return Err(Malformed);
                    }
                    before = target;
                    resume_at.get_or_insert(reader.at);
                    reader.at = target;
                }
                _ => return Err(Malformed), // 01 and 10 are reserved
            }
        }
        self.at = resume_at.unwrap_or(reader.at);
        Ok(labels.join(".").to_ascii_lowercase())
    }
    // ANCHOR_END: name

    /// One resource record: name, type, class, TTL, then the data's length
    /// and the data.
    fn record(&mut self) -> Result<Record, AnswerError> {
        let owner = self.name()?;
        let kind = self.u16()?;
        self.take(6)?; // class and TTL
        let length = self.u16()?;
        let data = self.take(usize::from(length))?;
        Ok(Record { owner, kind, data })
    }
}
