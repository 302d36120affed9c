//! The examples print what CPython's `socket` module prints for the same
//! names and addresses, in PyMOTW's format, inside the same sandbox: the
//! same C library, asked the same questions, with the same hosts file.

mod common;

use common::{HOST_NAME, inside_sandbox, run, start_empty_name_server};

const GETADDRINFO: &str = env!("CARGO_BIN_EXE_getaddrinfo");
const GETNAMEINFO: &str = env!("CARGO_BIN_EXE_getnameinfo");

/// `asyncio_getaddrinfo.py`'s lines, from `socket.getaddrinfo`; with no
/// names, localhost and `socket.gethostname()`.
const PYTHON_GETADDRINFO: &str = r#"
import socket, sys
names = sys.argv[1:] or ['localhost', socket.gethostname()]
for name in names:
    for entry in socket.getaddrinfo(name, 'https', type=socket.SOCK_STREAM):
        print('{:20}: {}'.format(name, entry[4][0]))
"#;

/// `asyncio_getnameinfo.py`'s lines, from `socket.getnameinfo`.
const PYTHON_GETNAMEINFO: &str = r#"
import socket, sys
for ip in sys.argv[1:] or ['127.0.0.1', '::1']:
    print('{:15}: {} {}'.format(ip, *socket.getnameinfo((ip, 443), 0)))
"#;

/// Runs `example` and the Python `script` with `args`; both must succeed
/// and print the same lines. Returns them.
fn agree(example: &str, script: &str, args: &[&str]) -> String {
    let ours = run(example, args);
    assert!(ours.status.success(), "{example} {args:?}: {}", ours.stderr);
    let python_args = [&["-c", script][..], args].concat();
    let python = run("python3", &python_args);
    assert!(python.status.success(), "python3 {args:?}: {}", python.stderr);
    assert_eq!(ours.stdout, python.stdout, "{example} {args:?}");
    ours.stdout
}

#[test]
fn getaddrinfo_prints_what_python_prints() {
    if !inside_sandbox("getaddrinfo_prints_what_python_prints") {
        return;
    }
    let _names = start_empty_name_server();
    let defaults = agree(GETADDRINFO, PYTHON_GETADDRINFO, &[]);
    assert!(defaults.contains(&format!("{HOST_NAME:20}: 127.0.1.1")));
    let names = ["printer.lan", "ip6-localhost", "localhost", HOST_NAME];
    let lines = agree(GETADDRINFO, PYTHON_GETADDRINFO, &names);
    assert_eq!(lines.lines().count(), 5, "{lines}");
}

#[test]
fn getnameinfo_prints_what_python_prints() {
    if !inside_sandbox("getnameinfo_prints_what_python_prints") {
        return;
    }
    let _names = start_empty_name_server();
    agree(GETNAMEINFO, PYTHON_GETNAMEINFO, &[]);
    let ips = ["10.0.0.7", "192.0.2.1", "::1", "127.0.1.1", "127.0.0.1"];
    let lines = agree(GETNAMEINFO, PYTHON_GETNAMEINFO, &ips);
    assert!(lines.contains("127.0.1.1      : aio-book https"), "{lines}");
}
