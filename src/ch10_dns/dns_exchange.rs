//! Chapter 10 (DNS): one query to one name server, over UDP, then TCP if the
//! answer did not fit.
//!
//! Each UDP query gets a fresh socket on a port the kernel picks (port 0),
//! connected to the server: the kernel then drops datagrams from anyone
//! else, and an attacker has to guess the port as well as the query's id. A
//! datagram that is not the answer (`check_answer` says `None`) is dropped,
//! and the wait goes on until the deadline: one stray packet must not end a
//! lookup. An answer with the truncation bit set is asked for again over TCP,
//! where each message is prefixed by its length in two bytes, which also
//! bounds what a server can make us read to 64 KiB.

use crate::ch05_control::timeouts::wait_for;
use crate::ch06_sync::queue::Queue;
use crate::ch07_protocols::datagram::{
    DatagramProtocol, DatagramTransport, create_datagram_endpoint,
};
use crate::ch08_streams::open::open_connection;
use crate::ch08_streams::reader::StreamReader;
use crate::ch08_streams::writer::StreamWriter;
use crate::ch10_dns::dns_message::{Query, Reply, check_answer};
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

/// Why a server gave no answer.
#[derive(Debug)]
pub(crate) enum NoAnswer {
    /// Nothing that matched came before the deadline.
    Silent,
    /// The exchange failed at once: no route, port unreachable (nobody
    /// listens), a connection refused or cut.
    Unreachable(io::Error),
}

/// How many datagrams wait for the task before more are dropped, as a full
/// socket buffer drops them.
const INBOX_SIZE: usize = 8;

/// What the endpoint hears, for the task that waits for the answer.
enum Arrival {
    Datagram(Vec<u8>),
    Error(io::Error),
}

/// The datagram protocol of a query: it hands everything to the waiting
/// task.
struct Inbox(Queue<Arrival>);

impl DatagramProtocol for Inbox {
    fn datagram_received(&mut self, data: &[u8], _from: SocketAddr) {
        let _ = self.0.put_nowait(Arrival::Datagram(data.to_vec()));
    }

    fn error_received(&mut self, error: io::Error) {
        let _ = self.0.put_nowait(Arrival::Error(error));
    }
}

/// Asks `server` `query`, waiting at most `timeout` for each transport.
pub(crate) async fn exchange(
    server: SocketAddr,
    query: &Query,
    timeout: Duration,
) -> Result<Reply, NoAnswer> {
    match over_udp(server, query, timeout).await? {
        Reply::Truncated => match over_tcp(server, query, timeout).await? {
            // Truncated even over TCP: this server cannot answer.
            Reply::Truncated => Err(NoAnswer::Silent),
            reply => Ok(reply),
        },
        reply => Ok(reply),
    }
}

// ANCHOR: udp_exchange
/// Sends `query` from a fresh socket connected to `server` and waits for
/// its answer, ignoring datagrams that are not.
async fn over_udp(
    server: SocketAddr,
    query: &Query,
    timeout: Duration,
) -> Result<Reply, NoAnswer> {
    let inbox = Queue::new(INBOX_SIZE);
    let ip = server.ip().to_string();
    let remote = Some((ip.as_str(), server.port()));
    let (transport, _) =
        create_datagram_endpoint(Inbox(inbox.clone()), None, remote)
            .await
            .map_err(NoAnswer::Unreachable)?;
    let _closer = CloseDatagram(transport.clone());
    transport.sendto(&query.bytes, None).map_err(NoAnswer::Unreachable)?;
    let answer = async {
        loop {
            match inbox.get().await {
                Ok(Arrival::Datagram(bytes)) => {
                    if let Some(reply) = check_answer(query, &bytes) {
                        return Ok(reply);
                    }
                }
                Ok(Arrival::Error(error)) => {
                    return Err(NoAnswer::Unreachable(error));
                }
                Err(_) => return Err(NoAnswer::Silent), // never shut down
            }
        }
    };
    wait_for(answer, timeout).await.unwrap_or(Err(NoAnswer::Silent))
}
// ANCHOR_END: udp_exchange

/// Closes a query's endpoint however the wait ends, a cancelled lookup
/// included.
struct CloseDatagram(DatagramTransport);

impl Drop for CloseDatagram {
    fn drop(&mut self) {
        self.0.close();
    }
}

// ANCHOR: tcp_exchange
/// Sends `query` over a TCP connection to `server`, both prefixed by their
/// length, and reads messages until its answer.
async fn over_tcp(
    server: SocketAddr,
    query: &Query,
    timeout: Duration,
) -> Result<Reply, NoAnswer> {
    let asked = async {
        let ip = server.ip().to_string();
        let (reader, writer) = open_connection(&ip, server.port()).await?;
        let _closer = CloseStream(writer.clone());
        let length =
            u16::try_from(query.bytes.len()).map_err(io::Error::other)?;
        writer.write(&length.to_be_bytes())?;
        writer.write(&query.bytes)?;
        loop {
            let message = read_message(&reader).await?;
            if let Some(reply) = check_answer(query, &message) {
                return Ok(reply);
            }
        }
    };
    match wait_for(asked, timeout).await {
        Ok(Ok(reply)) => Ok(reply),
        Ok(Err(error)) => Err(NoAnswer::Unreachable(error)),
        Err(_) => Err(NoAnswer::Silent),
    }
}

/// One length-prefixed message: at most 65535 bytes, whatever the server
/// sends.
async fn read_message(reader: &StreamReader) -> io::Result<Vec<u8>> {
    let prefix = reader.readexactly(2).await.map_err(io::Error::other)?;
    let length = usize::from(u16::from_be_bytes([prefix[0], prefix[1]]));
    reader.readexactly(length).await.map_err(io::Error::other)
}
// ANCHOR_END: tcp_exchange

/// Closes a query's connection however the wait ends.
struct CloseStream(StreamWriter);

impl Drop for CloseStream {
    fn drop(&mut self) {
        self.0.close();
    }
}
