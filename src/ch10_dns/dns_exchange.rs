//! Chapter 10 (DNS): one query to one name server, over UDP, then TCP if the
//! answer did not fit.
//!
//! Each lookup opens one UDP socket per server it asks, on a port the kernel
//! picks (port 0), connected to the server: the kernel then drops datagrams
//! from anyone else, and an attacker has to guess the port as well as the
//! query's id. The lookup's A and AAAA queries, and their retries, share it,
//! as glibc's `res_send` shares its socket: half the sockets of one per
//! query, which is most of a lookup's cost. Datagrams go to the query whose
//! id they carry; one that is not the answer (`check_answer` says `None`) is
//! dropped, and the wait goes on until the deadline: one stray packet must
//! not end a lookup. An answer with the truncation bit set is asked for again over TCP,
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
use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
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

/// The queries waiting on one socket: each id, with the inbox of the task
/// that waits for its answer.
type Waiting = Rc<RefCell<Vec<(u16, Queue<Arrival>)>>>;

/// The datagram protocol of a lookup's socket: it hands each datagram to
/// the query whose id it carries, and an error to every query.
struct Dispatch(Waiting);

impl DatagramProtocol for Dispatch {
    fn datagram_received(&mut self, data: &[u8], _from: SocketAddr) {
        let Some(&[high, low]) = data.get(..2) else {
            return; // too short to be anybody's answer
        };
        let id = u16::from_be_bytes([high, low]);
        for (waiting, inbox) in self.0.borrow().iter() {
            if *waiting == id {
                let _ = inbox.put_nowait(Arrival::Datagram(data.to_vec()));
            }
        }
    }

    fn error_received(&mut self, error: io::Error) {
        for (_, inbox) in self.0.borrow().iter() {
            let copy = io::Error::new(error.kind(), error.to_string());
            let _ = inbox.put_nowait(Arrival::Error(copy));
        }
    }
}

/// The UDP sockets of one lookup, one per server, opened as they are first
/// needed and closed when the lookup ends.
#[derive(Default)]
pub(crate) struct Sockets {
    open: RefCell<Vec<(SocketAddr, Rc<Socket>)>>,
}

/// One connected socket and the queries waiting on it.
struct Socket {
    transport: DatagramTransport,
    waiting: Waiting,
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.transport.close();
    }
}

impl Sockets {
    /// The socket for `server`, opened now if this lookup has none yet.
    async fn to(&self, server: SocketAddr) -> io::Result<Rc<Socket>> {
        if let Some(socket) = self.find(server) {
            return Ok(socket);
        }
        let waiting = Waiting::default();
        let ip = server.ip().to_string();
        let remote = Some((ip.as_str(), server.port()));
        let (transport, _) =
            create_datagram_endpoint(Dispatch(waiting.clone()), None, remote)
                .await?;
        let opened = Rc::new(Socket { transport, waiting });
        // Another query of the lookup may have opened one meanwhile: keep
        // the first, so that the two kinds of address share it.
        if let Some(first) = self.find(server) {
            return Ok(first);
        }
        self.open.borrow_mut().push((server, opened.clone()));
        Ok(opened)
    }

    fn find(&self, server: SocketAddr) -> Option<Rc<Socket>> {
        let open = self.open.borrow();
        let found = open.iter().find(|(address, _)| *address == server);
        found.map(|(_, socket)| socket.clone())
    }
}

/// Takes a query's inbox off its socket's list however the wait ends.
struct StopWaiting<'a> {
    socket: &'a Socket,
    id: u16,
}

impl Drop for StopWaiting<'_> {
    fn drop(&mut self) {
        let mut waiting = self.socket.waiting.borrow_mut();
        if let Some(at) = waiting.iter().position(|(id, _)| *id == self.id) {
            waiting.remove(at);
        }
    }
}

/// Asks `server` `query`, waiting at most `timeout` for each transport.
pub(crate) async fn exchange(
    sockets: &Sockets,
    server: SocketAddr,
    query: &Query,
    timeout: Duration,
) -> Result<Reply, NoAnswer> {
    let socket = sockets.to(server).await.map_err(NoAnswer::Unreachable)?;
    match over_udp(&socket, query, timeout).await? {
        Reply::Truncated => match over_tcp(server, query, timeout).await? {
            // Truncated even over TCP: this server cannot answer.
            Reply::Truncated => Err(NoAnswer::Silent),
            reply => Ok(reply),
        },
        reply => Ok(reply),
    }
}

// ANCHOR: udp_exchange
/// Sends `query` on the lookup's socket to its server and waits for the
/// answer, ignoring datagrams that are not.
async fn over_udp(
    socket: &Socket,
    query: &Query,
    timeout: Duration,
) -> Result<Reply, NoAnswer> {
    let inbox = Queue::new(INBOX_SIZE);
    socket.waiting.borrow_mut().push((query.id, inbox.clone()));
    let _done = StopWaiting { socket, id: query.id };
    if let Err(error) = socket.transport.sendto(&query.bytes, None) {
        // Perhaps an earlier datagram's "port unreachable", which the kernel
        // reports on the next call: every query on the socket must hear it.
        let copy = io::Error::new(error.kind(), error.to_string());
        Dispatch(socket.waiting.clone()).error_received(copy);
        return Err(NoAnswer::Unreachable(error));
    }
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
