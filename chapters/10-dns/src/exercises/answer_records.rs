//! Exercise 3 (project): reading a name server's answer.
//!
//! Write [`decode_answer`]: check that a datagram is the answer to our query,
//! read its records (names compressed by pointers included), and give the
//! addresses of the name asked, following its aliases, as the book's
//! chapter 10 describes in "Is it the answer?" and "Aliases". Nothing a
//! peer sends may panic it. The grader builds answers with the `simple-dns`
//! crate and also asks a real name server of its own on 127.0.0.1.

use std::net::IpAddr;

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
    // Your code here: the header's checks, the question, the records, then
    // the walk along the aliases.
    Err(AnswerError::Malformed)
}
