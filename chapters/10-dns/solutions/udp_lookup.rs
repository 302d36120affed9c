//! Exercise 4 (project): a lookup over UDP, on the loop: a query, decoys
//! dropped, silence answered with another attempt.

use super::answer_records::{AnswerError, decode_answer};
use super::query_message::encode_query;
use aio::{DatagramProtocol, DatagramTransport, Queue};
use std::hash::{BuildHasher, RandomState};
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

impl From<io::Error> for LookupError {
    fn from(error: io::Error) -> Self {
        LookupError::Io(error)
    }
}

// ANCHOR: inbox
/// The endpoint's protocol: every datagram goes into a queue, for the task
/// that waits for the answer. A full queue drops it, as a full socket
/// buffer would.
struct Inbox(Queue<Vec<u8>>);

impl DatagramProtocol for Inbox {
    fn datagram_received(&mut self, data: &[u8], _from: SocketAddr) {
        let _ = self.0.put_nowait(data.to_vec());
    }
}

/// Closes the socket however the lookup ends, a timeout's drop included.
struct CloseOnDrop(DatagramTransport);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        self.0.close();
    }
}
// ANCHOR_END: inbox

// ANCHOR: lookup
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
    let inbox = Queue::new(8);
    let ip = server.ip().to_string();
    let remote = Some((ip.as_str(), server.port()));
    let (transport, _) =
        aio::create_datagram_endpoint(Inbox(inbox.clone()), None, remote)
            .await?;
    let socket = CloseOnDrop(transport);
    for _ in 0..attempts {
        let id = random_id();
        socket.0.sendto(&encode_query(id, name, record_type), None)?;
        let answer = wait_for_answer(&inbox, id, name, record_type);
        match aio::wait_for(answer, timeout).await {
            Ok(answer) => return answer,
            Err(_) => continue, // silence: ask again, with a new id
        }
    }
    Err(LookupError::TimedOut)
}

/// Takes datagrams until one is the answer to query `id`, or says why there
/// is none. What is not the answer is dropped: one stray or forged datagram
/// must not end the lookup.
async fn wait_for_answer(
    inbox: &Queue<Vec<u8>>,
    id: u16,
    name: &str,
    record_type: u16,
) -> Result<Vec<IpAddr>, LookupError> {
    loop {
        let Ok(datagram) = inbox.get().await else {
            return Err(LookupError::TimedOut); // the queue is gone
        };
        match decode_answer(&datagram, id, name, record_type) {
            Ok(addresses) => return Ok(addresses),
            Err(AnswerError::NotTheAnswer | AnswerError::Malformed) => {
                // Not ours, or not DNS at all: wait on.
            }
            Err(AnswerError::Truncated) => return Err(LookupError::Truncated),
            Err(AnswerError::NoSuchName) => {
                return Err(LookupError::NoSuchName);
            }
            Err(AnswerError::ServerFailed(code)) => {
                return Err(LookupError::ServerFailed(code));
            }
        }
    }
}
// ANCHOR_END: lookup

// ANCHOR: random_id
/// A new, unpredictable query id. Each `RandomState` has keys of its own,
/// seeded from the operating system's randomness, so hashing nothing with
/// a new one gives fresh random bits with no crate and no `unsafe`.
/// (aio asks the kernel directly, with `getrandom`.)
fn random_id() -> u16 {
    RandomState::new().hash_one(()) as u16
}
// ANCHOR_END: random_id
