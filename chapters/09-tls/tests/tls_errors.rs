//! What the client says when TLS fails for a reason a reader of this chapter
//! meets: the wrong certificate trusted, or a plain-TCP server on the port.
//! Each message must say what to do.
//!
//! Both tests fail on the runtime as it is (see each one); the runtime's
//! `TlsError` is to be fixed in `src/ch09_tls/`, not here.

#[path = "../../../tests/support/echo_examples.rs"]
mod harness;

mod common;

use common::Scratch;
use harness::{Lines, port_of};
use std::io::{Read, Write};
use std::process::Command;

const SERVER: &str = env!("CARGO_BIN_EXE_echo_server_ssl");
const CLIENT: &str = env!("CARGO_BIN_EXE_echo_client_ssl");

/// Runs the client with `args`, and returns what it said on stderr, once it
/// has failed.
fn client_fails(args: &[&str]) -> String {
    let output = Command::new(CLIENT).args(args).output().expect("runs");
    assert!(!output.status.success());
    String::from_utf8(output.stderr).expect("UTF-8")
}

/// The client trusts a certificate from another run: a restarted server
/// made a new one. Every certificate rcgen makes has the same issuer name
/// (`rcgen self signed cert`), so rustls finds the trusted one by name, and
/// its key does not check the signature: `BadSignature`. The runtime passes
/// that on as `TLS failed: invalid peer certificate: BadSignature`, which
/// does not say what to do; it is the same mistake as an unknown CA.
#[test]
fn trusting_another_certificate_says_which_ca_to_pass() {
    let scratch = Scratch::new("other-ca");
    let served = scratch.path("served.pem");
    let server =
        Lines::start(SERVER, &["127.0.0.1", "0", "--write-cert", &served]);
    let port = port_of(&server.next());
    let other = ch09_tls::certificate::self_signed().unwrap();
    let other = scratch.write("other.pem", &other.cert_pem);
    let said = client_fails(&["127.0.0.1", &port, "--cafile", &other]);
    assert!(said.contains("--cafile"), "what to do, in: {said}");
}

/// The client reaches a plain-TCP server: chapter 8's echo server, say,
/// which sends the `ClientHello` back. The runtime says `is it a plain-TCP
/// client on a TLS port?`, the advice for a server, which is wrong on the
/// client's side: here the server is the one that does not speak TLS.
#[test]
fn a_plain_tcp_server_is_named_as_the_problem() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    // A plain echo, as chapter 8's: what it reads, it sends back.
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept()?;
        let mut buffer = [0u8; 4096];
        loop {
            let n = socket.read(&mut buffer)?;
            if n == 0 {
                return Ok::<_, std::io::Error>(());
            }
            socket.write_all(&buffer[..n])?;
        }
    });
    let scratch = Scratch::new("plain-server");
    let issued = ch09_tls::certificate::self_signed().unwrap();
    let cafile = scratch.write("ca.pem", &issued.cert_pem);
    let said = client_fails(&["127.0.0.1", &port, "--cafile", &cafile]);
    assert!(said.contains("did not speak TLS"), "{said}");
    assert!(!said.contains("plain-TCP client"), "wrong advice: {said}");
}
