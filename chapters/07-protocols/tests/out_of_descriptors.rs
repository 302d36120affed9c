//! Running out of file descriptors on accept: the server logs it, keeps
//! serving, and recovers when descriptors free up. The server runs in a child
//! process whose descriptor limit is lowered with `prlimit` (util-linux).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

const SERVER: &str = env!("CARGO_BIN_EXE_echo_server_protocol");

#[test]
fn the_server_survives_running_out_of_descriptors() {
    let mut server = Command::new("prlimit")
        .args(["--nofile=24:24", "--", SERVER, "127.0.0.1", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("prlimit and the server start");
    let mut stdout = BufReader::new(server.stdout.take().expect("piped"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("the server says where it listens");
    let port: u16 = first
        .trim()
        .rsplit(' ')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");
    // Keep the server's output flowing, so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in stdout.lines() {});

    // More idle connections than the server has descriptors for.
    let idle: Vec<TcpStream> = (0..40)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    drop(idle); // the server sees EOF on each, closes them, and gets descriptors back

    // After the retry delay the server accepts again, and echoes.
    std::thread::sleep(Duration::from_millis(1500));
    let mut client = TcpStream::connect(("127.0.0.1", port))
        .expect("connect after recovery");
    client.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    client.write_all(b"still here?").unwrap();
    client.shutdown(std::net::Shutdown::Write).unwrap();
    let mut echo = Vec::new();
    client.read_to_end(&mut echo).expect("the echo comes back");

    let _ = server.kill();
    let output = server.wait_with_output().expect("the server's output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(echo, b"still here?", "the server kept serving");
    assert!(
        stderr.contains("out of file descriptors"),
        "the server logged the condition:\n{stderr}"
    );
}
