//! Snapshot tests: every example's output, exactly as the book shows it.
//!
//! Each example binary runs with the virtual clock, so its loop times are exact. Only the
//! wall-clock time that `call_at` prints is redacted.

use std::process::Command;

/// Runs one example binary and returns its standard output, redacted.
fn run_example(binary: &str) -> String {
    let output = Command::new(binary).env("AIO_CLOCK", "virtual").output().expect("example binary runs");
    assert!(output.status.success(), "{binary} failed: {}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.stderr.is_empty(),
        "{binary} wrote to stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    redact(&String::from_utf8(output.stdout).expect("output is UTF-8"))
}

/// Replaces the wall-clock reading, the only value that changes from run to run.
fn redact(output: &str) -> String {
    output
        .lines()
        .map(|line| match line.strip_prefix("clock time: ") {
            Some(_) => "clock time: [wall clock]".to_owned(),
            None => line.to_owned(),
        })
        .map(|line| line + "\n")
        .collect()
}

macro_rules! snapshot_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let output = run_example(env!(concat!("CARGO_BIN_EXE_", stringify!($name))));
                insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
                    insta::assert_snapshot!(stringify!($name), output);
                });
            }
        )*

        /// The chapter's default binary runs every example, in book order, each under a
        /// heading, with exactly the output of its own binary.
        #[test]
        fn default_binary_runs_every_example_in_order() {
            let names = [$(stringify!($name)),*];
            let expected: Vec<String> = names
                .iter()
                .map(|name| {
                    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_lock")).with_file_name(name);
                    format!("== {name} ==\n{}", run_example(binary.to_str().expect("UTF-8 path")))
                })
                .collect();
            let chapter = env!("CARGO_PKG_NAME");
            let binary = std::path::Path::new(env!("CARGO_BIN_EXE_lock")).with_file_name(chapter);
            assert_eq!(run_example(binary.to_str().expect("UTF-8 path")), expected.join("\n"));
        }
    };
}

snapshot_tests!(lock, event, condition, queue, cancel_race);
