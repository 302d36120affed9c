//! Chapter 7: asynchronous I/O with protocol class abstractions.
//!
//! The ports of PyMOTW-3's echo server and client built from protocols and
//! transports. Each takes the host and port as arguments (default: localhost,
//! port 10000). `cargo run -p ch07-protocols` runs both in one process, on a
//! free port, so you can read the two sides of the conversation together.

pub mod echo_client_protocol;
pub mod echo_server_protocol;

/// The host and port from the command line: `[host] [port]`, defaulting to
/// `localhost 10000`, as in PyMOTW.
pub fn address_from_args() -> Result<(String, u16), String> {
    let mut args = std::env::args().skip(1);
    let host = args.next().unwrap_or_else(|| "localhost".to_owned());
    let port = match args.next() {
        Some(port) => port.parse().map_err(|_| {
            format!("the port must be a number from 0 to 65535, not {port:?}")
        })?,
        None => 10000,
    };
    Ok((host, port))
}

/// Shows bytes the way Python's `repr` shows a `bytes` object: `b'...'`, or
/// `b"..."` when the bytes hold a `'` and no `"`.
pub fn bytes_repr(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = format!("b{quote}");
    for &byte in bytes {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\'' if quote == '\'' => out.push_str("\\'"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(byte as char),
            _ => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out.push(quote);
    out
}
