//! A first cut at serving connections: a level-triggered echo server. Every
//! turn it asks the kernel which sockets are readable, with poll(2), reads
//! once from each, and goes round again. The real reactor
//! (`src/ch07_protocols/reactor.rs`) is edge-triggered, through mio.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;

// ANCHOR: server
/// An echo server: its listener, and the connections it accepted, by id.
pub struct EchoServer {
    listener: TcpListener,
    clients: Vec<(usize, TcpStream)>,
    accepted: usize,
}

/// What a turn did with one socket.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// Accepted the connection with this id.
    Accepted(usize),
    /// Read this many bytes from a connection, and wrote them back.
    Echoed { client: usize, bytes: usize },
    /// The peer closed the connection (or it failed), so it was dropped.
    Closed(usize),
}
// ANCHOR_END: server

impl EchoServer {
    /// A server for the connections that reach `listener`.
    pub fn new(listener: TcpListener) -> Self {
        EchoServer { listener, clients: Vec::new(), accepted: 0 }
    }

    // ANCHOR: turn
    /// One turn: wait up to `timeout_ms` for a readable socket, then read
    /// once from each readable connection, and accept once.
    pub fn turn(&mut self, timeout_ms: i32) -> io::Result<Vec<Step>> {
        let readable = self.wait_until_readable(timeout_ms)?;
        let mut steps = Vec::new();
        let clients = self.clients.iter_mut().zip(&readable[1..]);
        for ((id, client), _) in clients.filter(|(_, ready)| **ready) {
            steps.push(echo_once(*id, client));
        }
        let closed = |id: &usize| steps.contains(&Step::Closed(*id));
        self.clients.retain(|(id, _)| !closed(id));
        if readable[0] {
            let (client, _) = self.listener.accept()?;
            self.accepted += 1;
            self.clients.push((self.accepted, client));
            steps.push(Step::Accepted(self.accepted));
        }
        Ok(steps)
    }
    // ANCHOR_END: turn

    // ANCHOR: wait
    /// Asks the kernel which sockets are readable, the listener first.
    /// poll(2) reports a state, on every call for as long as it holds:
    /// bytes left unread make the socket readable again next turn.
    fn wait_until_readable(&self, timeout_ms: i32) -> io::Result<Vec<bool>> {
        let sockets = std::iter::once(self.listener.as_raw_fd())
            .chain(self.clients.iter().map(|(_, client)| client.as_raw_fd()));
        let mut asked: Vec<libc::pollfd> = sockets
            .map(|fd| libc::pollfd { fd, events: libc::POLLIN, revents: 0 })
            .collect();
        let count = asked.len() as libc::nfds_t;
        // SAFETY: `asked` is a live array of `count` pollfds, which poll(2)
        // only reads and writes (their `revents`) during the call.
        let ready =
            unsafe { libc::poll(asked.as_mut_ptr(), count, timeout_ms) };
        if ready < 0 {
            return Err(io::Error::last_os_error());
        }
        // Hang-up and error count as readable: the read says which it was.
        Ok(asked.iter().map(|socket| socket.revents != 0).collect())
    }
    // ANCHOR_END: wait
}

// ANCHOR: echo_once
/// Reads once from a readable connection, and writes back what came.
fn echo_once(id: usize, client: &mut TcpStream) -> Step {
    let mut buffer = [0; 4096];
    match client.read(&mut buffer) {
        Ok(0) | Err(_) => Step::Closed(id),
        Ok(bytes) => match client.write_all(&buffer[..bytes]) {
            Ok(()) => Step::Echoed { client: id, bytes },
            Err(_) => Step::Closed(id),
        },
    }
}
// ANCHOR_END: echo_once
