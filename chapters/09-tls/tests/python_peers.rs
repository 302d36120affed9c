//! The chapter's binaries against CPython's `ssl` and asyncio, with a
//! certificate made for the run: a Python TLS client with our server, and
//! our client with a Python TLS server.

#[path = "../../../tests/support/echo_examples.rs"]
mod harness;

mod common;

use common::Scratch;
use harness::{Lines, port_of};
use std::process::Command;

const SERVER: &str = env!("CARGO_BIN_EXE_echo_server_ssl");
const CLIENT: &str = env!("CARGO_BIN_EXE_echo_client_ssl");

/// PyMOTW's TLS echo client: it trusts the certificate in `argv[2]`, checks
/// it against `127.0.0.1`, sends three parts and a NUL byte, and prints the
/// echo and the TLS version.
const PYTHON_CLIENT: &str = r#"
import asyncio, ssl, sys
async def main(port, cafile):
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=cafile)
    reader, writer = await asyncio.open_connection('127.0.0.1', port, ssl=context)
    for part in [b'This is the message. ', b'It will be sent ', b'in parts.']:
        writer.write(part)
    writer.write(b'\x00')
    await writer.drain()
    echo = b''
    while data := await reader.read(128):
        echo += data
    print(echo.decode())
    print(writer.get_extra_info('ssl_object').version())
    writer.close()
    await writer.wait_closed()
asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
"#;

/// PyMOTW's TLS echo server, with the certificate and key in `argv[1]` and
/// `argv[2]`; it prints its port first.
const PYTHON_SERVER: &str = r#"
import asyncio, ssl, sys
async def echo(reader, writer):
    while True:
        data = await reader.read(128)
        terminate = data.endswith(b'\x00')
        data = data.rstrip(b'\x00')
        if data:
            writer.write(data)
            await writer.drain()
        if not data or terminate:
            writer.close()
            return
async def main(certfile, keyfile):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certfile, keyfile)
    server = await asyncio.start_server(echo, '127.0.0.1', 0, ssl=context)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.sleep(60)
asyncio.run(main(sys.argv[1], sys.argv[2]))
"#;

#[test]
fn a_python_client_against_our_server() {
    let scratch = Scratch::new("python-client");
    let cert = scratch.path("server.pem");
    let server =
        Lines::start(SERVER, &["127.0.0.1", "0", "--write-cert", &cert]);
    let port = port_of(&server.next());
    assert!(server.next().ends_with(&cert), "the certificate is written");
    let output = Command::new("python3")
        .args(["-c", PYTHON_CLIENT, &port, &cert])
        .output()
        .expect("python3");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "This is the message. It will be sent in parts.\nTLSv1.3\n"
    );
    let said = server.until("closing connection").join("\n");
    assert!(said.contains(": connection accepted"), "{said}");
    assert!(said.contains(": received b'This is the message. "), "{said}");
    assert!(said.contains(": message terminated, closing connection"));
}

#[test]
fn our_client_against_a_python_server() {
    let scratch = Scratch::new("python-server");
    let issued = ch09_tls::certificate::self_signed().unwrap();
    let cert = scratch.write("cert.pem", &issued.cert_pem);
    let key = scratch.write("key.pem", &issued.key_pem);
    let server = Lines::start("python3", &["-c", PYTHON_SERVER, &cert, &key]);
    let port = server.next();
    // The certificate's IP-address name is what the client checks here.
    let output = Command::new(CLIENT)
        .args(["127.0.0.1", &port, "--cafile", &cert])
        .output()
        .expect("client runs");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        output.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for expected in [
        "echo_client: TLSv1.3 with",
        "echo_client: the server's certificate is for localhost",
        "echo_client: received b'This is the message. It will be sent in \
         parts.'",
        "echo_client: closing",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}
