//! Exercise 2 (medium): a DNS query, byte by byte (RFC 1035, section 4).

/// The record type of an IPv4 address.
pub const TYPE_A: u16 = 1;
/// The record type of an IPv6 address.
pub const TYPE_AAAA: u16 = 28;
/// The Internet class, the only one in use.
pub const CLASS_IN: u16 = 1;

// ANCHOR: header
/// The header's flags for a query: QR 0 (a query), opcode 0 (standard),
/// and RD, "recursion desired", which asks the server to find the answer
/// itself rather than point us at other servers.
const RECURSION_DESIRED: u16 = 0x0100;

/// The query with id `id` for records of type `record_type` of `name`: a
/// 12-byte header (the id; flags asking for recursion; one question, no
/// records), then the question (the name as length-prefixed labels ending
/// with an empty one; the type; the class `IN`), all numbers big-endian.
/// A trailing dot on `name` changes nothing; the name is assumed valid
/// (no empty label, none over 63 bytes).
pub fn encode_query(id: u16, name: &str, record_type: u16) -> Vec<u8> {
    let mut message = Vec::with_capacity(12 + name.len() + 6);
    let (questions, answers, authorities, additionals) = (1u16, 0, 0, 0);
    for field in
        [id, RECURSION_DESIRED, questions, answers, authorities, additionals]
    {
        message.extend_from_slice(&field.to_be_bytes());
    }
    // ANCHOR_END: header
    // ANCHOR: question
    let name = name.strip_suffix('.').unwrap_or(name);
    for label in name.split('.') {
        message.push(label.len() as u8); // at most 63: the caller checked
        message.extend_from_slice(label.as_bytes());
    }
    message.push(0); // the root's empty label ends the name
    message.extend_from_slice(&record_type.to_be_bytes());
    message.extend_from_slice(&CLASS_IN.to_be_bytes());
    message
}
// ANCHOR_END: question
