//! Exercise 3: a key-value server, one line at a time.
//!
//! The protocol is a small state machine: the start of the current line,
//! whether that line is too long and being skipped, and whether the client
//! has said `QUIT`. `data_received` cuts each piece at its newlines;
//! everything else is answering a whole line.

use aio::{Protocol, Server, Transport};
use std::cell::RefCell;
use std::collections::HashMap;
use std::io;
use std::rc::Rc;

/// The keys and values, shared by every connection of a server.
pub type Store = Rc<RefCell<HashMap<String, String>>>;

/// The longest line the server takes, without its newline.
pub const MAX_LINE: usize = 1024;

/// Listens on `host`:`port` (port 0 picks a free one) and serves the
/// key-value protocol on every connection, all sharing one store.
pub async fn start_kv_server(host: &str, port: u16) -> io::Result<Server> {
    let store = Store::default();
    aio::create_server(move || KvServer::new(store.clone()), host, port).await
}

// ANCHOR: state
/// One connection's protocol.
#[derive(Debug)]
pub struct KvServer {
    store: Store,
    transport: Option<Transport>,
    /// The start of a line whose newline has not come yet.
    line: Vec<u8>,
    /// The current line is over `MAX_LINE`: drop it, up to its newline.
    skipping: bool,
    /// The client said `QUIT`: ignore everything after it.
    quit: bool,
}

impl KvServer {
    /// A protocol over `store`.
    pub fn new(store: Store) -> KvServer {
        KvServer {
            store,
            transport: None,
            line: Vec::new(),
            skipping: false,
            quit: false,
        }
    }
}
// ANCHOR_END: state

// ANCHOR: framing
impl Protocol for KvServer {
    fn connection_made(&mut self, transport: Transport) {
        self.transport = Some(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        let mut rest = data;
        while !self.quit && !rest.is_empty() {
            match rest.iter().position(|&byte| byte == b'\n') {
                Some(newline) => {
                    self.take(&rest[..newline]);
                    self.end_line();
                    rest = &rest[newline + 1..];
                }
                None => {
                    self.take(rest);
                    rest = &[];
                }
            }
        }
    }

    fn eof_received(&mut self) -> bool {
        if !self.quit && (self.skipping || !self.line.is_empty()) {
            self.end_line(); // a last line without its newline
        }
        false // close, once the answers are flushed
    }

    // A client that sends and never reads would grow our buffer: stop
    // reading while it is full, as the chapter's echo server does.
    fn pause_writing(&mut self) {
        if let Some(transport) = &self.transport {
            transport.pause_reading();
        }
    }

    fn resume_writing(&mut self) {
        if let Some(transport) = &self.transport {
            transport.resume_reading();
        }
    }
}

impl KvServer {
    /// Adds a piece of the current line, unless that makes it too long.
    fn take(&mut self, piece: &[u8]) {
        if self.skipping {
            return;
        }
        if self.line.len() + piece.len() > MAX_LINE {
            // Say so at once, not when the newline comes, if it ever does.
            self.skipping = true;
            self.line.clear();
            self.reply("ERR line too long");
            return;
        }
        self.line.extend_from_slice(piece);
    }

    /// The current line is complete: answer it.
    fn end_line(&mut self) {
        if std::mem::take(&mut self.skipping) {
            return; // the end of a line already refused
        }
        let line = std::mem::take(&mut self.line);
        let answer = self.answer(&line);
        self.reply(&answer);
        if self.quit
            && let Some(transport) = &self.transport
        {
            transport.close(); // once "BYE" is flushed
        }
    }

    fn reply(&self, answer: &str) {
        if let Some(transport) = &self.transport {
            let _ = transport.write(format!("{answer}\n").as_bytes());
        }
    }
}
// ANCHOR_END: framing

// ANCHOR: answer
impl KvServer {
    /// The answer to one whole line, without its newline.
    fn answer(&mut self, line: &[u8]) -> String {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Ok(line) = std::str::from_utf8(line) else {
            return "ERR not UTF-8".to_owned();
        };
        let (command, args) = line.split_once(' ').unwrap_or((line, ""));
        let mut store = self.store.borrow_mut();
        match command {
            "SET" => match args.split_once(' ') {
                Some((key, value)) if !key.is_empty() => {
                    store.insert(key.to_owned(), value.to_owned());
                    "OK".to_owned()
                }
                _ => "ERR usage: SET key value".to_owned(),
            },
            "GET" => match store.get(args) {
                Some(value) => format!("VALUE {value}"),
                None => "NOT FOUND".to_owned(),
            },
            "DEL" => match store.remove(args) {
                Some(_) => "DELETED".to_owned(),
                None => "NOT FOUND".to_owned(),
            },
            "QUIT" => {
                self.quit = true;
                "BYE".to_owned()
            }
            _ => "ERR unknown command".to_owned(),
        }
    }
}
// ANCHOR_END: answer
