//! Exercise 4 (project): a chat room over streams: one `start_server`, one
//! coroutine per member, and a room that they all share.

use aio::{Server, StreamError, StreamReader, StreamWriter};
use std::cell::RefCell;
use std::io;
use std::rc::Rc;

// ANCHOR: room
/// The members of the room, in the order they joined, each with the
/// writer of its connection. Everything runs on the loop's one thread, so
/// an `Rc<RefCell<..>>` is all the sharing needed.
#[derive(Default)]
struct Room {
    members: RefCell<Vec<(String, StreamWriter)>>,
}

impl Room {
    /// Adds `name`, unless someone has it already.
    fn join(&self, name: &str, writer: &StreamWriter) -> bool {
        let mut members = self.members.borrow_mut();
        if members.iter().any(|(member, _)| member == name) {
            return false;
        }
        members.push((name.to_owned(), writer.clone()));
        true
    }

    fn leave(&self, name: &str) {
        self.members.borrow_mut().retain(|(member, _)| member != name);
    }

    /// Sends `line` to every member but `from`. Writing never waits; a
    /// write that fails is that member's task's business (its reads fail).
    fn broadcast(&self, from: &str, line: &str) {
        for (name, writer) in self.members.borrow().iter() {
            if name != from {
                let _ = writer.write(line.as_bytes());
            }
        }
    }
}
// ANCHOR_END: room

// ANCHOR: start_chat
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
    let room = Rc::new(Room::default());
    let serve = move |reader, writer| member(room.clone(), reader, writer);
    aio::start_server(serve, host, port).await
}

/// One member's connection, from its name to its goodbye.
async fn member(room: Rc<Room>, reader: StreamReader, writer: StreamWriter) {
    let name = match reader.readline().await {
        Ok(line) if !line.is_empty() => text_of(&line),
        _ => {
            writer.close(); // gone before saying who it is
            return;
        }
    };
    if !room.join(&name, &writer) {
        let _ = writer.write(b"* name taken\n");
        writer.close();
        return;
    }
    let _ = writer.write(format!("* welcome {name}\n").as_bytes());
    room.broadcast(&name, &format!("* {name} joined\n"));
    converse(&room, &name, &reader, &writer).await;
    room.leave(&name);
    room.broadcast(&name, &format!("* {name} left\n"));
    writer.close();
}

/// A line without its newline, as text (invalid UTF-8 replaced).
fn text_of(line: &[u8]) -> String {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    String::from_utf8_lossy(line).into_owned()
}
// ANCHOR_END: start_chat

// ANCHOR: converse
/// Passes the member's lines on until its EOF. `readuntil` rather than
/// `readline`: on a line over the limit, `readline` drops what is buffered
/// and returns the rest of the line later, as if it were a line of its own.
/// Here the whole long line is skipped: what was looked at is read away,
/// and `skipping` drops everything up to the next newline.
async fn converse(
    room: &Room,
    name: &str,
    reader: &StreamReader,
    writer: &StreamWriter,
) {
    let mut skipping = false;
    loop {
        match reader.readuntil(b"\n").await {
            Ok(_) if skipping => skipping = false, // the long line's end
            Ok(line) => {
                room.broadcast(name, &format!("{name}: {}\n", text_of(&line)));
            }
            Err(StreamError::LimitOverrun { consumed }) => {
                if !skipping {
                    let _ = writer.write(b"* line too long\n");
                    skipping = true;
                }
                // `readuntil` left the data in the buffer: drop it.
                if reader.readexactly(consumed).await.is_err() {
                    return;
                }
            }
            // EOF: a last line without its newline still counts.
            Err(StreamError::IncompleteRead { partial, .. }) => {
                if !partial.is_empty() && !skipping {
                    let text = text_of(&partial);
                    room.broadcast(name, &format!("{name}: {text}\n"));
                }
                return;
            }
            Err(StreamError::Io(_)) => return,
        }
    }
}
// ANCHOR_END: converse
