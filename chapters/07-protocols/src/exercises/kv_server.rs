//! Exercise 3: a key-value server, one line at a time (project).
//!
//! Write the protocol of a tiny key-value server. Bytes arrive in pieces
//! that have nothing to do with lines, so the protocol keeps the start of a
//! line until its end arrives. The commands, the replies, and what to do
//! with a line that is too long are on the chapter page
//! (`book/ch07-protocols.md`, "Exercises"). [`start_kv_server`] is written:
//! it gives every connection a [`KvServer`] over one shared [`Store`].

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

/// One connection's protocol.
#[derive(Debug)]
pub struct KvServer {
    store: Store,
    transport: Option<Transport>,
    // Your code here: what else the protocol must remember between pieces.
}

impl KvServer {
    /// A protocol over `store`.
    pub fn new(store: Store) -> KvServer {
        KvServer { store, transport: None }
    }
}

impl Protocol for KvServer {
    fn connection_made(&mut self, transport: Transport) {
        // Your code here.
    }

    fn data_received(&mut self, data: &[u8]) {
        // Your code here: cut the bytes into lines and answer each one.
    }

    fn eof_received(&mut self) -> bool {
        // Your code here: a last line without its newline.
        false
    }
}
