//! The first cut: a TLS echo over blocking sockets, one thread per side.

use aio::SslContext;
use ch09_tls::{certificate, first_cut};
use std::net::TcpListener;

// ANCHOR: echo_test
#[test]
fn a_blocking_tls_echo() {
    let issued = certificate::self_signed().unwrap();
    let (Ok(SslContext::Server(server)), Ok(SslContext::Client(client))) =
        (issued.server_context(), issued.client_context())
    else {
        panic!("a server and a client context");
    };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let serving =
        std::thread::spawn(move || first_cut::serve_one(&listener, server));
    let answer = first_cut::ask(port, client, b"hello over TLS").unwrap();
    assert_eq!(answer, b"hello over TLS");
    serving.join().unwrap().unwrap();
}
// ANCHOR_END: echo_test
