//! Exercise 2 (medium): a DNS query, byte by byte.
//!
//! Write [`encode_query`]: the message a stub resolver sends to ask a name
//! server for one name's addresses (RFC 1035, section 4). The grader reads
//! your bytes with the `simple-dns` crate and sends them to a name server of
//! its own on 127.0.0.1, which must understand them. See the book's
//! chapter 10, exercise 2.

/// The record type of an IPv4 address.
pub const TYPE_A: u16 = 1;
/// The record type of an IPv6 address.
pub const TYPE_AAAA: u16 = 28;
/// The Internet class, the only one in use.
pub const CLASS_IN: u16 = 1;

/// The query with id `id` for records of type `record_type` of `name`: a
/// 12-byte header (the id; flags asking for recursion; one question, no
/// records), then the question (the name as length-prefixed labels ending
/// with an empty one; the type; the class `IN`), all numbers big-endian.
/// A trailing dot on `name` changes nothing; the name is assumed valid
/// (no empty label, none over 63 bytes).
pub fn encode_query(id: u16, name: &str, record_type: u16) -> Vec<u8> {
    // Your code here: the header, then the question.
    Vec::new()
}
