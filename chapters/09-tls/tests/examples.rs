//! Snapshot tests: the server and the client run as separate processes, as a
//! reader would run them, on a free port, with the certificate written to a
//! directory of the test's own, and a signal stops the server, as Ctrl-C
//! would. Only addresses, ports and that directory are redacted.

#[path = "../../../tests/support/echo_examples.rs"]
mod harness;

mod common;

use aio::rustls::pki_types::ServerName;
use aio::rustls::{ClientConnection, StreamOwned};
use aio::{Signal, SslContext};
use common::Scratch;
use std::net::TcpStream;
use std::process::{Command, Output};

const SERVER: &str = env!("CARGO_BIN_EXE_echo_server_ssl");
const CLIENT: &str = env!("CARGO_BIN_EXE_echo_client_ssl");

/// The line that ends the server's side of a conversation.
const TERMINATED: &str = ": message terminated, closing connection";

#[test]
fn server_and_client_as_separate_processes() {
    let scratch = Scratch::new("examples");
    let cert = scratch.path("server.pem");
    let (server, client) = harness::converse_with(
        SERVER,
        &["--write-cert", &cert],
        CLIENT,
        &["--cafile", &cert],
        TERMINATED,
    );
    let server = server.replace(&scratch.dir(), "[dir]");
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("echo_server_ssl", server);
        insta::assert_snapshot!("echo_client_ssl", client);
    });
}

#[test]
fn sigterm_stops_the_server_as_ctrl_c_does() {
    let scratch = Scratch::new("sigterm");
    let cert = scratch.path("server.pem");
    let (server, _) = harness::converse_stopped_by(
        Signal::TERM,
        SERVER,
        &["--write-cert", &cert],
        CLIENT,
        &["--cafile", &cert],
        TERMINATED,
    );
    let server = server.replace(&scratch.dir(), "[dir]");
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("echo_server_ssl", server);
    });
}

#[test]
fn clients_still_connected_do_not_keep_the_server_from_stopping() {
    let scratch = Scratch::new("connected");
    let issued = ch09_tls::certificate::self_signed().unwrap();
    let cert = scratch.write("cert.pem", &issued.cert_pem);
    let key = scratch.write("key.pem", &issued.key_pem);
    let Ok(SslContext::Client(config)) = issued.client_context() else {
        panic!("a client context");
    };
    let server = harness::stop_with_clients_connected(
        SERVER,
        &["--certfile", &cert, "--keyfile", &key],
        Signal::INT,
        |port| {
            let name = ServerName::try_from("localhost").expect("a name");
            let tls = ClientConnection::new(config.clone(), name).expect("TLS");
            let socket =
                TcpStream::connect(("localhost", port)).expect("connects");
            StreamOwned::new(tls, socket)
        },
    );
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("echo_server_ssl_clients_connected", server);
    });
}

#[test]
fn the_default_binary_runs_both_sides_in_one_process() {
    harness::default_binary_says(
        SERVER,
        &[
            "TLSv1.3 with",
            "connection accepted",
            "message terminated, closing connection",
            "echo_client: received b'This is the message. It will be sent \
             in parts.'",
            "echo_client: closing",
        ],
    );
}

#[test]
fn a_bad_port_argument_is_a_clear_error() {
    harness::bad_port_is_a_clear_error(CLIENT);
}

#[test]
fn a_silent_server_is_a_clear_timeout() {
    let scratch = Scratch::new("silent");
    let issued = ch09_tls::certificate::self_signed().unwrap();
    let cafile = scratch.write("ca.pem", &issued.cert_pem);
    harness::a_silent_server_is_a_clear_timeout_with(
        CLIENT,
        &["--cafile", &cafile],
    );
}

/// Checks that `output` is a failure with one line on stderr that holds
/// each of `expected`, and returns that line.
fn one_line_error(output: Output, expected: &[&str]) -> String {
    assert!(!output.status.success());
    let said = String::from_utf8(output.stderr).expect("UTF-8");
    assert_eq!(said.lines().count(), 1, "one line: {said}");
    assert!(!said.contains("panicked"), "{said}");
    for expected in expected {
        assert!(said.contains(expected), "missing {expected:?} in: {said}");
    }
    said
}

#[test]
fn a_missing_or_unusable_cafile_is_a_one_line_error() {
    let scratch = Scratch::new("cafile");
    let missing = scratch.path("missing.pem");
    let not_pem = scratch.write("notes.txt", "not a certificate\n");
    for (cafile, problem) in [
        (&missing, "could not read the CA file"),
        (&not_pem, "it holds no CERTIFICATE block"),
        (&scratch.dir(), "could not read the CA file"),
    ] {
        let output = Command::new(CLIENT)
            .args(["localhost", "10000", "--cafile", cafile])
            .output()
            .expect("runs");
        one_line_error(output, &[cafile, problem, "--cafile PATH"]);
    }
}

#[test]
fn a_missing_or_unusable_certfile_is_a_one_line_error() {
    let scratch = Scratch::new("certfile");
    let issued = ch09_tls::certificate::self_signed().unwrap();
    let cert = scratch.write("cert.pem", &issued.cert_pem);
    let key = scratch.write("key.pem", &issued.key_pem);
    let missing = scratch.path("missing.pem");
    for (certfile, keyfile, expected) in [
        (&missing, &key, [&missing[..], "could not read the certificate"]),
        (&cert, &missing, [&missing[..], "could not read the key"]),
        (&key, &cert, [&key[..], "is it the key?"]),
    ] {
        let output = Command::new(SERVER)
            .args(["localhost", "0", "--certfile", certfile])
            .args(["--keyfile", keyfile])
            .output()
            .expect("runs");
        one_line_error(output, &[&expected[..], &["--certfile"]].concat());
    }
    let output = Command::new(SERVER)
        .args(["localhost", "0", "--certfile", &cert])
        .output()
        .expect("runs");
    one_line_error(output, &["--certfile and --keyfile go together"]);
}

#[test]
fn given_files_serve_the_same_conversation() {
    let scratch = Scratch::new("given");
    let issued = ch09_tls::certificate::self_signed().unwrap();
    let cert = scratch.write("cert.pem", &issued.cert_pem);
    let key = scratch.write("key.pem", &issued.key_pem);
    let (server, client) = harness::converse_with(
        SERVER,
        &["--certfile", &cert, "--keyfile", &key],
        CLIENT,
        &["--cafile", &cert],
        TERMINATED,
    );
    assert!(
        !server.contains("certificate for clients"),
        "nothing written: {server}"
    );
    assert!(server.contains(TERMINATED), "{server}");
    assert!(client.contains("echo_client: closing"), "{client}");
}
