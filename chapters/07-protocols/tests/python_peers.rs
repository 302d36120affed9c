//! The chapter's binaries against CPython's asyncio: our client with a Python
//! echo server, and a Python echo client with our server.

#[path = "../../../tests/support/echo_examples.rs"]
mod harness;

use std::process::Command;

const SERVER: &str = env!("CARGO_BIN_EXE_echo_server_protocol");
const CLIENT: &str = env!("CARGO_BIN_EXE_echo_client_protocol");

#[test]
fn our_client_against_a_python_server() {
    let text = harness::client_against_python(CLIENT);
    assert!(
        text.contains("EchoClient: received b'This is the message. It will be sent in parts.'"),
        "{text}"
    );
    assert!(text.contains("EchoClient: received EOF"), "{text}");
}

#[test]
fn a_python_client_against_our_server() {
    harness::python_client_against(SERVER);
}

#[test]
fn bytes_are_shown_exactly_as_python_shows_them() {
    let samples: [&[u8]; 5] = [
        b"This is the message. ",
        b"it's",
        b"both ' and \"",
        b"tab\tnew\nline\\",
        b"\x00\xff~",
    ];
    for sample in samples {
        let hex: String =
            sample.iter().map(|byte| format!("{byte:02x}")).collect();
        let python = Command::new("python3")
            .args([
                "-c",
                "import sys; print(repr(bytes.fromhex(sys.argv[1])))",
                &hex,
            ])
            .output()
            .expect("python3");
        let expected = String::from_utf8(python.stdout).expect("UTF-8");
        assert_eq!(
            ch07_protocols::bytes_repr(sample),
            expected.trim_end(),
            "for {sample:?}"
        );
    }
}
