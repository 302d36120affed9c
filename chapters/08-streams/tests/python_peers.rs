//! The chapter's binaries against CPython's asyncio: our client with a Python
//! echo server, and a Python echo client with our server.

#[path = "../../../tests/support/echo_examples.rs"]
mod harness;

const SERVER: &str = env!("CARGO_BIN_EXE_echo_server_coroutine");
const CLIENT: &str = env!("CARGO_BIN_EXE_echo_client_coroutine");

#[test]
fn our_client_against_a_python_server() {
    let text = harness::client_against_python(CLIENT);
    assert!(
        text.contains("echo_client: received b'This is the message. It will be sent in parts.'"),
        "{text}"
    );
    assert!(text.contains("echo_client: closing"), "{text}");
}

#[test]
fn a_python_client_against_our_server() {
    harness::python_client_against(SERVER);
}
