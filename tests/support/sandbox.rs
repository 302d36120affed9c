//! A sandbox for tests of name lookups: a process in new user, mount and
//! network namespaces (`unshare -rmn`), with only a loopback interface, and
//! its own `/etc/resolv.conf` and `/etc/hosts` bind-mounted over the real
//! ones. Inside, the C library's resolver asks a name server the test starts
//! on 127.0.0.1:53, and no query can leave the machine: there is no other
//! interface to leave by. Chapter 10's tests, its examples' tests and the DNS
//! benchmark include this file with `#[path]`.

#![allow(dead_code)] // each test binary uses a different part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Set in the environment of a process that runs inside the sandbox.
pub const INSIDE: &str = "AIO_DNS_SANDBOX";

/// What the sandbox's `/etc` says.
pub struct Sandbox {
    /// The text of its `/etc/resolv.conf`.
    pub resolv_conf: String,
    /// The text of its `/etc/hosts`; `None` keeps the machine's.
    pub hosts: Option<String>,
}

impl Default for Sandbox {
    /// A name server on 127.0.0.1 (the test's, or none: then every query is
    /// refused at once), one try, a one-second timeout, the machine's hosts.
    fn default() -> Self {
        Sandbox {
            resolv_conf: "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"
                .into(),
            hosts: None,
        }
    }
}

/// Whether this process is the one inside the sandbox.
pub fn inside() -> bool {
    std::env::var_os(INSIDE).is_some()
}

impl Sandbox {
    /// A command that runs `program` with `args` inside the sandbox.
    pub fn command(&self, program: &Path, args: &[&str]) -> Command {
        let dir = scratch_dir();
        let resolv = dir.join("resolv.conf");
        std::fs::write(&resolv, &self.resolv_conf).expect("write resolv.conf");
        let hosts = match &self.hosts {
            Some(text) => {
                let path = dir.join("hosts");
                std::fs::write(&path, text).expect("write hosts");
                path.display().to_string()
            }
            None => String::new(),
        };
        let script = r#"set -e
ip link set lo up
mount --bind "$1" /etc/resolv.conf
if [ -n "$2" ]; then mount --bind "$2" /etc/hosts; fi
shift 2
exec "$@""#;
        let mut command = Command::new("unshare");
        command
            .args(["--user", "--map-root-user", "--mount", "--net", "sh", "-c"])
            .arg(script)
            .arg("sandbox")
            .arg(&resolv)
            .arg(hosts)
            .arg(program)
            .args(args)
            .env(INSIDE, "1");
        command
    }

    /// Runs the test named `test` of this test binary again, inside the
    /// sandbox, and panics with its output if it fails. The test checks
    /// [`inside`] to know which side it is on.
    pub fn rerun_test(&self, test: &str) {
        let this = std::env::current_exe().expect("the test binary");
        let output = self
            .command(
                &this,
                &["--exact", test, "--nocapture", "--test-threads=1"],
            )
            .output()
            .expect(
                "unshare runs (util-linux; user namespaces must be allowed)",
            );
        assert_success(&output, test);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("1 passed"),
            "the sandboxed run of {test} ran no test:\n{stdout}"
        );
    }
}

/// Panics with the output of a sandboxed process that failed.
pub fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed in the sandbox ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn scratch_dir() -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "aio-sandbox-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("make the sandbox's scratch dir");
    dir
}
