//! Snapshot tests: the server and the client run as separate processes, as a reader
//! would run them, on a free port. Only addresses and ports are redacted.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

const SERVER: &str = env!(concat!("CARGO_BIN_EXE_", "echo_server_coroutine"));
const CLIENT: &str = env!(concat!("CARGO_BIN_EXE_", "echo_client_coroutine"));

/// Kills the server when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Replaces IP addresses and port numbers, the only values that change between runs.
fn redact(output: &str) -> String {
    let mut out = String::new();
    for line in output.lines() {
        let mut words = Vec::new();
        for word in line.split(' ') {
            words.push(redact_word(word));
        }
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    out.replace("port [number]", "port [port]")
}

fn redact_word(word: &str) -> String {
    // `EchoServer_127.0.0.1_54321:` style names: redact the address and the port.
    if let Some((name, rest)) = word.split_once('_')
        && let Some((address, port)) = rest.rsplit_once('_')
        && address.parse::<std::net::IpAddr>().is_ok()
    {
        let suffix = port.trim_start_matches(|c: char| c.is_ascii_digit());
        return format!("{name}_[address]_[port]{suffix}");
    }
    if word.parse::<std::net::IpAddr>().is_ok() {
        return "[address]".to_owned();
    }
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) {
        return "[number]".to_owned();
    }
    word.to_owned()
}

/// Runs the pair; returns (server output, client output).
fn converse() -> (String, String) {
    let mut server = Running(
        Command::new(SERVER).args(["localhost", "0"]).stdout(Stdio::piped()).spawn().expect("server starts"),
    );
    let (lines_tx, lines_rx) = mpsc::channel();
    let stdout = server.0.stdout.take().expect("piped");
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = lines_rx.recv_timeout(Duration::from_secs(30)).expect("the server says where it listens");
    let port = first.rsplit(' ').next().expect("a port").to_owned();
    let client = Command::new(CLIENT).args(["localhost", &port]).output().expect("client runs");
    assert!(client.status.success(), "client failed: {}", String::from_utf8_lossy(&client.stderr));
    let mut server_lines = vec![first];
    // The server's last word for the connection is "closing".
    while !server_lines.last().is_some_and(|line| line.ends_with(": closing")) {
        let line =
            lines_rx.recv_timeout(Duration::from_secs(30)).expect("the server finishes the conversation");
        server_lines.push(line);
    }
    drop(server);
    (redact(&(server_lines.join("\n") + "\n")), redact(&String::from_utf8(client.stdout).expect("UTF-8")))
}

#[test]
fn server_and_client_as_separate_processes() {
    let (server, client) = converse();
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("echo_server_coroutine", server);
        insta::assert_snapshot!("echo_client_coroutine", client);
    });
}

#[test]
fn the_default_binary_runs_both_sides_in_one_process() {
    let binary = std::path::Path::new(SERVER).with_file_name(env!("CARGO_PKG_NAME"));
    let output = Command::new(binary).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    for expected in ["connection accepted", "waiting for response", "closing"] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn a_bad_port_argument_is_a_clear_error() {
    let output = Command::new(CLIENT).args(["localhost", "not-a-port"]).output().expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("the port must be a number"));
}
