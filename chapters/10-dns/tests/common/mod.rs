//! What the chapter's tests share: every lookup runs inside the sandbox
//! (`tests/support/sandbox.rs`: only loopback, so no query can leave the
//! machine, and `/etc/nsswitch.conf` says `hosts: files dns`), with a hosts
//! file of the test's own and a host name of its own, so that the answers are the
//! same on every machine and no lookup can reach past the sandbox. A test
//! runs itself again inside the sandbox ([`inside_sandbox`]); there it may
//! start [`start_empty_name_server`], which says NXDOMAIN to every query, as
//! a real name server does for a name that does not exist. Without it,
//! queries to 127.0.0.1:53 are refused at once.

#![allow(dead_code)] // each test binary uses a different part

#[path = "../../../../tests/support/sandbox.rs"]
pub mod sandbox;

#[path = "../../../../tests/support/dns_responder.rs"]
pub mod dns_responder;

use dns_responder::{Mode, Responder, Zone};

use std::io::Read;
use std::process::{Command, ExitStatus, Output};

/// The sandbox's `/etc/hosts`.
pub const HOSTS: &str = "127.0.0.1 localhost\n\
                         ::1 localhost ip6-localhost\n\
                         127.0.1.1 aio-book\n\
                         10.0.0.7 printer.lan\n";

/// The host name the examples see inside the sandbox.
pub const HOST_NAME: &str = "aio-book";

/// Outside the sandbox: runs the test named `test` of this binary again
/// inside it, fails if that run fails, and returns `false`. Inside: returns
/// `true`, and the test does its work.
pub fn inside_sandbox(test: &str) -> bool {
    if sandbox::inside() {
        return true;
    }
    let setup = sandbox::Sandbox {
        hosts: Some(HOSTS.to_owned()),
        ..sandbox::Sandbox::default()
    };
    setup.rerun_test(test);
    false
}

/// A name server on 127.0.0.1:53 that knows no names: it answers every
/// query with NXDOMAIN, for as long as the returned responder lives. Only
/// inside the sandbox.
#[must_use = "the name server stops when the responder is dropped"]
pub fn start_empty_name_server() -> Responder {
    assert!(sandbox::inside(), "the name server runs in the sandbox only");
    Responder::start_on("127.0.0.1:53", Zone::new(), Mode::Answer)
}

/// A command that runs `program` with `args` inside the sandbox, with the
/// host name [`HOST_NAME`], in a UTS namespace of its own.
pub fn command(program: &str, args: &[&str]) -> Command {
    assert!(sandbox::inside(), "lookups run in the sandbox only");
    let script = r#"hostname "$1" && shift && exec "$@""#;
    let mut command = Command::new("unshare");
    command
        .args(["--uts", "sh", "-c", script, "sh", HOST_NAME, program])
        .args(args);
    command
}

/// What a program printed and how it ended.
pub struct Run {
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
    /// Its exit status.
    pub status: ExitStatus,
}

/// Runs `program` with `args` in the sandbox; stdout and stderr apart.
pub fn run(program: &str, args: &[&str]) -> Run {
    let Output { stdout, stderr, status } =
        command(program, args).output().expect("unshare runs");
    let text = |bytes| String::from_utf8(bytes).expect("UTF-8 output");
    let run = Run { stdout: text(stdout), stderr: text(stderr), status };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// Runs `program` with `args` in the sandbox, with stdout and stderr on one
/// pipe, so the text is what a terminal shows, error lines in their place.
pub fn transcript(program: &str, args: &[&str]) -> (String, ExitStatus) {
    let (mut reader, writer) = std::io::pipe().expect("a pipe");
    let mut command = command(program, args);
    command.stdout(writer.try_clone().expect("a second writer"));
    command.stderr(writer);
    let mut child = command.spawn().expect("unshare runs");
    drop(command); // our copies of the write end: the read then sees EOF
    let mut text = String::new();
    reader.read_to_string(&mut text).expect("UTF-8 output");
    let status = child.wait().expect("the child ends");
    assert!(!text.contains("panicked"), "{text}");
    (text, status)
}

/// Checks `text` against the snapshot `name`, which example `binary` printed
/// for `args`; the snapshot's header says how to run it.
pub fn snapshot(name: &str, binary: &str, args: &[&str], text: &str) {
    let mut command = format!("cargo run -p ch10-dns --bin {binary}");
    if !args.is_empty() {
        command = format!("{command} -- {}", args.join(" "));
    }
    let description =
        format!("{command} (in the sandbox of tests/common/mod.rs)");
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => description,
        snapshot_path => "../snapshots", // beside the other tests' snapshots
    }, {
        insta::assert_snapshot!(name, text);
    });
}
