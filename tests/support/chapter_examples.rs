//! The snapshot harness every chapter crate shares (each includes this file
//! with `#[path]`): run an example binary on the virtual clock, redact what
//! varies, and compare with the snapshot that the book shows.

use std::process::Command;

/// Runs one example binary with the virtual clock and returns its standard
/// output, redacted. Fails the test if the example fails or writes to standard
/// error.
pub fn run_example(binary: &str) -> String {
    let output = Command::new(binary)
        .env("AIO_CLOCK", "virtual")
        .output()
        .expect("example binary runs");
    assert!(
        output.status.success(),
        "{binary} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{binary} wrote to stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    redact(&String::from_utf8(output.stdout).expect("output is UTF-8"))
}

/// Replaces the wall-clock reading, the only value that changes from run to
/// run.
pub fn redact(output: &str) -> String {
    output
        .lines()
        .map(|line| match line.strip_prefix("clock time: ") {
            Some(_) => "clock time: [wall clock]".to_owned(),
            None => line.to_owned(),
        })
        .map(|line| line + "\n")
        .collect()
}

/// One snapshot test per example, plus a test that the chapter's default binary
/// runs them all, in book order, each under a heading, with exactly their own
/// output.
#[macro_export]
macro_rules! snapshot_tests {
    ($first:ident $(, $rest:ident)* $(,)?) => {
        $crate::snapshot_tests!(@one $first);
        $($crate::snapshot_tests!(@one $rest);)*

        #[test]
        fn default_binary_runs_every_example_in_order() {
            let first = std::path::Path::new(env!(concat!("CARGO_BIN_EXE_", stringify!($first))));
            let expected: Vec<String> = [stringify!($first) $(, stringify!($rest))*]
                .iter()
                .map(|name| {
                    let binary = first.with_file_name(name);
                    format!("== {name} ==\n{}", harness::run_example(binary.to_str().expect("UTF-8 path")))
                })
                .collect();
            let chapter = first.with_file_name(env!("CARGO_PKG_NAME"));
            assert_eq!(harness::run_example(chapter.to_str().expect("UTF-8 path")), expected.join("\n"));
        }
    };
    (@one $name:ident) => {
        #[test]
        fn $name() {
            let output = harness::run_example(env!(concat!("CARGO_BIN_EXE_", stringify!($name))));
            insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!(stringify!($name), output);
            });
        }
    };
}
