//! `aio_ps PID` reads the task tree of a live program: `tree_target`, on the
//! real clock, whose three naps of 30 s are still pending when asked.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

const AIO_PS: &str = env!("CARGO_BIN_EXE_aio_ps");
const TREE_TARGET: &str = env!("CARGO_BIN_EXE_tree_target");

/// A running `tree_target`, killed when dropped (a failed assertion too).
struct Target(Child);

impl Target {
    /// Starts `tree_target` with `args`, and returns once it is ready.
    fn start(args: &[&str]) -> Target {
        let mut child = Command::new(TREE_TARGET)
            .args(args)
            .env("AIO_CLOCK", "real")
            .stdout(Stdio::piped())
            .spawn()
            .expect("tree_target starts");
        let stdout = child.stdout.take().expect("piped");
        let target = Target(child);
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("a line");
        assert_eq!(line, "ready\n", "tree_target says it is ready");
        target
    }

    fn pid(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn aio_ps(args: &[&str]) -> Output {
    Command::new(AIO_PS).args(args).output().expect("aio_ps runs")
}

/// The tree's lines as (depth, text): each level of branches ("├── ",
/// "└── ", "│   ", or spaces) is four columns.
fn parse_tree(tree: &str) -> Vec<(usize, &str)> {
    tree.lines()
        .map(|line| {
            let text = line.trim_start_matches(['├', '└', '│', '─', ' ']);
            let columns = line[..line.len() - text.len()].chars().count();
            (columns / 4, text)
        })
        .collect()
}

#[test]
fn aio_ps_prints_the_tree_of_a_live_program() {
    let target = Target::start(&[]);
    let pid = target.pid();
    let printed = aio_ps(&[&pid.to_string()]);
    drop(target);
    // Killed, it could not remove its socket file.
    let _ = std::fs::remove_file(aio::tree_socket_path(pid));
    let tree = String::from_utf8(printed.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&printed.stderr);
    assert!(printed.status.success(), "{stderr}");
    let lines = parse_tree(&tree);
    let parent = lines
        .iter()
        .position(|(_, text)| text.contains("'parent' pending"))
        .unwrap_or_else(|| panic!("no parent in\n{tree}"));
    let depth = lines[parent].0;
    let (gather_depth, gather) = lines[parent + 1];
    assert_eq!(gather_depth, depth + 1, "{tree}");
    assert!(gather.starts_with("gather at "), "{tree}");
    let below: Vec<_> = lines[parent + 2..]
        .iter()
        .take_while(|(below, _)| *below > depth + 1)
        .collect();
    assert_eq!(below.len(), 6, "three children, one timer each:\n{tree}");
    for pair in below.chunks(2) {
        let [(child_depth, child), (timer_depth, timer)] = pair else {
            unreachable!()
        };
        assert_eq!(*child_depth, depth + 2, "{tree}");
        assert!(child.contains(" pending, from "), "{tree}");
        assert_eq!(*timer_depth, depth + 3, "{tree}");
        assert!(timer.starts_with("timer due at "), "{tree}");
    }
}

#[test]
fn a_program_that_ends_removes_its_socket_file() {
    let mut target = Target::start(&["short"]);
    let path = aio::tree_socket_path(target.pid());
    assert!(target.0.wait().unwrap().success());
    assert!(!path.exists(), "{} is left behind", path.display());
}

#[test]
fn aio_ps_on_a_program_without_debug_mode_exits_1_saying_why() {
    // This test's own process serves no tree.
    let pid = std::process::id();
    let printed = aio_ps(&[&pid.to_string()]);
    assert_eq!(printed.status.code(), Some(1));
    assert!(printed.stdout.is_empty());
    let stderr = String::from_utf8(printed.stderr).unwrap();
    let expected = format!(
        "aio_ps: no aio program with debug mode on is running as PID {pid} \
         (start it with AIO_DEBUG=1)"
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
}

#[test]
fn aio_ps_with_a_bad_argument_exits_2_with_its_usage() {
    for args in [&[][..], &["nine"], &["1", "2"]] {
        let printed = aio_ps(args);
        assert_eq!(printed.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(printed.stderr).unwrap();
        assert!(stderr.starts_with("usage: aio_ps PID"), "{stderr}");
    }
}
