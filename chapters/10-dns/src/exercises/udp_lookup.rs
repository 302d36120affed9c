//! Exercise 4 (project): a lookup over UDP, on the loop.
//!
//! Write [`lookup`]: ask one name server for one name's addresses over a
//! UDP socket of aio's (`aio::create_datagram_endpoint`), with your
//! [`encode_query`](super::query_message::encode_query) and
//! [`decode_answer`](super::answer_records::decode_answer) from exercises 2
//! and 3. Datagrams that are not the answer are dropped and the wait goes
//! on; a server that stays silent is asked again, with a new id, up to
//! `attempts` times. The book's chapter 10, "Asking, and asking again",
//! describes what the stub resolver does; the grader runs your lookup
//! against a name server of its own on 127.0.0.1 that answers, drops
//! queries, sends decoys, fails or stays silent.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// Why a lookup gave no addresses.
#[derive(Debug)]
pub enum LookupError {
    /// The server says the name does not exist (NXDOMAIN).
    NoSuchName,
    /// The server failed with this RCODE (2: SERVFAIL, 5: REFUSED, ...).
    ServerFailed(u8),
    /// The answer did not fit in a datagram (this lookup has no TCP).
    Truncated,
    /// No answer came, to any attempt.
    TimedOut,
    /// The socket could not be opened or used.
    Io(io::Error),
}

/// The addresses of `name` for records of type `record_type` (1: A, 28:
/// AAAA), asked of `server`: each attempt sends a query with a new random
/// id and waits up to `timeout` for its answer; after `attempts` silent
/// attempts, [`LookupError::TimedOut`]. Uses one socket, connected to
/// `server`, closed when the lookup ends; never blocks the loop.
pub async fn lookup(
    server: SocketAddr,
    name: &str,
    record_type: u16,
    timeout: Duration,
    attempts: usize,
) -> Result<Vec<IpAddr>, LookupError> {
    // Your code here: open the endpoint, then for each attempt send a query
    // and take datagrams until one is the answer or `timeout` passes.
    Err(LookupError::TimedOut)
}
