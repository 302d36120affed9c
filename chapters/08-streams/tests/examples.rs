//! Snapshot tests: the server and the client run as separate processes, as a
//! reader would run them, on a free port, and a signal stops the server, as
//! Ctrl-C would. Only addresses and ports are redacted.

#[path = "../../../tests/support/echo_examples.rs"]
mod harness;

use aio::Signal;
use std::net::TcpStream;

const SERVER: &str = env!("CARGO_BIN_EXE_echo_server_coroutine");
const CLIENT: &str = env!("CARGO_BIN_EXE_echo_client_coroutine");

#[test]
fn server_and_client_as_separate_processes() {
    let (server, client) = harness::converse(SERVER, CLIENT);
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("echo_server_coroutine", server);
        insta::assert_snapshot!("echo_client_coroutine", client);
    });
}

#[test]
fn sigterm_stops_the_server_as_ctrl_c_does() {
    let (server, _) = harness::converse_stopped_by(
        Signal::TERM,
        SERVER,
        &[],
        CLIENT,
        &[],
        ": closing",
    );
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("echo_server_coroutine", server);
    });
}

#[test]
fn clients_still_connected_do_not_keep_the_server_from_stopping() {
    let server = harness::stop_with_clients_connected(
        SERVER,
        &[],
        Signal::INT,
        |port| TcpStream::connect(("localhost", port)).expect("connects"),
    );
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("echo_server_coroutine_clients_connected", server);
    });
}

#[test]
fn the_default_binary_runs_both_sides_in_one_process() {
    harness::default_binary_says(
        SERVER,
        &["connection accepted", "waiting for response", "closing"],
    );
}

#[test]
fn a_bad_port_argument_is_a_clear_error() {
    harness::bad_port_is_a_clear_error(CLIENT);
}

#[test]
fn a_silent_server_is_a_clear_timeout() {
    harness::a_silent_server_is_a_clear_timeout(CLIENT);
}
