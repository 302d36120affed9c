//! What the chapter's tests share: a scratch directory for certificate
//! files, made for the test and removed after it, and a server's output
//! read line by line as it comes.

#![allow(dead_code)] // each test binary uses a different part

use crate::harness::Running;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A directory of its own for one test.
pub struct Scratch(PathBuf);

impl Scratch {
    /// A new, empty directory named after the test and this process.
    pub fn new(test: &str) -> Scratch {
        let name = format!("ch09-tls-{test}-{}", std::process::id());
        let dir = std::env::temp_dir().join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        Scratch(dir)
    }

    /// The directory, as text.
    pub fn dir(&self) -> String {
        self.0.display().to_string()
    }

    /// The path of `file` in it, as text.
    pub fn path(&self, file: &str) -> String {
        self.0.join(file).display().to_string()
    }

    /// Writes `contents` to `file` in it; gives its path.
    pub fn write(&self, file: &str, contents: &str) -> String {
        std::fs::write(self.0.join(file), contents).expect("written");
        self.path(file)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A process whose standard output arrives line by line.
pub struct Lines {
    pub process: Running,
    lines: mpsc::Receiver<String>,
}

impl Lines {
    /// Starts `binary` with `args`.
    pub fn start(binary: &str, args: &[&str]) -> Lines {
        let mut child = Command::new(binary)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("starts");
        let stdout = child.stdout.take().expect("piped");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Lines { process: Running(child), lines }
    }

    /// The next line (a hang guard only: it comes long before the limit).
    pub fn next(&self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(60))
            .expect("another line of output")
    }

    /// The lines up to the first that ends with `last`, that one included.
    pub fn until(&self, last: &str) -> Vec<String> {
        let mut lines = vec![self.next()];
        while !lines.last().is_some_and(|line| line.ends_with(last)) {
            lines.push(self.next());
        }
        lines
    }
}

/// The port at the end of a server's first line.
pub fn port_of(first_line: &str) -> String {
    first_line.rsplit(' ').next().expect("a port").to_owned()
}
