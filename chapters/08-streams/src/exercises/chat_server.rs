//! Exercise 4 (project): a chat room over streams.
//!
//! Write `start_chat`, a `start_server` whose coroutines share one room.
//! A client's first line is its name; every line after it goes to the
//! other members, and the room hears who joins and who leaves. A line
//! longer than the reader's limit is skipped whole, with a notice to its
//! sender only. The book's chapter 8 page (`book/ch08-streams.md`,
//! "Exercises") gives the lines the server sends.

use aio::Server;
use std::io;

/// Starts a chat server on `host`:`port` (port 0 picks a free one).
///
/// For each connection: the first line is the member's name. A name in use
/// gets `* name taken\n` and the connection closed. Otherwise the member
/// gets `* welcome NAME\n`, and the others `* NAME joined\n`. Each line the
/// member sends then reaches every other member as `NAME: TEXT\n`; a line
/// over `aio::DEFAULT_LIMIT` bytes gets `* line too long\n` to its sender
/// alone, and is skipped up to and including its newline. At the member's
/// EOF (or a failure) the others get `* NAME left\n`, and the connection is
/// closed.
pub async fn start_chat(host: &str, port: u16) -> io::Result<Server> {
    // Your code here: a shared room (the members' names and writers), and
    // `aio::start_server` with a coroutine per member.
    Err(io::Error::other("start_chat is not written yet"))
}
