//! Chapter 14 (debugging): the bug museum, loom finding the bugs it keeps on
//! show.
//!
//! Each exhibit is a deliberately broken variant of a real cross-thread path
//! (`LoopShared::drain_then_clear_flag`, `Sender::send_unpublished`), compiled
//! only for the loom tests. The museum runs the real code's loom model on the
//! broken variant and passes only if loom *fails* it, so the museum can never
//! go stale. Loom's report is kept as a snapshot for the book.
//!
//! A failing loom model panics inside loom's scheduler, and unwinding through
//! it is not supported (it aborts), so each exhibit runs in a child process:
//! this same test binary, asked to run one exhibit through
//! [`AIO_MUSEUM_EXHIBIT`](exhibits).

#[cfg(all(test, aio_loom))]
mod exhibits {
    use crate::ch01_coroutines::remote::LoopShared;
    use crate::ch01_coroutines::remote::loom_models::remote_wake_model;
    use crate::ch10_dns::oneshot::loom_models::hand_over_model;
    use std::process::Command;

    /// The child's entry point: runs the exhibit named by `AIO_MUSEUM_EXHIBIT`.
    /// In the parent's run the variable is unset, and there is nothing to run
    /// here; the two tests below start the children.
    #[test]
    fn loom_museum_exhibit_entry() {
        match std::env::var("AIO_MUSEUM_EXHIBIT").as_deref() {
            Ok("lost_wakeup") => loom::model(|| {
                remote_wake_model(LoopShared::drain_then_clear_flag)
            }),
            Ok("unpublished_send") => loom::model(|| {
                hand_over_model(|sender, value| sender.send_unpublished(value))
            }),
            _ => {}
        }
    }

    /// Runs one exhibit in a child process, checks that loom failed it, and
    /// returns what loom said: its first panic message, with the source lines
    /// it names (the panic's own location, inside loom's sources, is left out:
    /// it varies by machine).
    fn loom_report(exhibit: &str) -> String {
        let output = Command::new(
            std::env::current_exe().expect("the test binary"),
        )
        .args([
            "--exact",
            "ch14_debugging::bug_museum::exhibits::loom_museum_exhibit_entry",
            "--test-threads=1",
            "--nocapture",
        ])
        .env("AIO_MUSEUM_EXHIBIT", exhibit)
        .env("LOOM_LOCATION", "1") // name the source lines in the report
        .env_remove("LOOM_LOG")
        .output()
        .expect("the test binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success(),
            "loom must find the bug in `{exhibit}`; it did not:\n{stderr}"
        );
        let mut report = Vec::new();
        let mut lines =
            stderr.lines().skip_while(|line| !line.contains("panicked at"));
        lines.next(); // "thread '...' (id) panicked at <path in loom>:" varies by machine
        let message = lines.skip_while(|line| line.trim().is_empty());
        for line in message.take_while(|line| {
            !line.is_empty() && !line.starts_with("stack backtrace")
        }) {
            report.push(line);
        }
        assert!(!report.is_empty(), "no loom report found in:\n{stderr}");
        without_line_numbers(&report.join("\n"))
    }

    /// Replaces the line and column numbers in loom's report with `_`: the
    /// files and the threads are the story, and the numbers would change with
    /// every edit of the file.
    fn without_line_numbers(report: &str) -> String {
        let mut out = String::new();
        let mut rest = report;
        while let Some(position) = rest.find(|c: char| c.is_ascii_digit()) {
            let (before, from_digits) = rest.split_at(position);
            let digits =
                from_digits.chars().take_while(char::is_ascii_digit).count();
            let is_position = before.ends_with(".rs:")
                || before.ends_with("line: ")
                || before.ends_with("column: ")
                || (before.ends_with(':')
                    && out.ends_with(".rs:_")
                    && before == ":");
            out.push_str(before);
            out.push_str(if is_position {
                "_"
            } else {
                &from_digits[..digits]
            });
            rest = &from_digits[digits..];
        }
        out.push_str(rest);
        out
    }

    // ANCHOR: museum_tests
    #[test]
    fn loom_museum_check_the_flag_then_sleep() {
        insta::assert_snapshot!("lost_wakeup", loom_report("lost_wakeup"));
    }

    #[test]
    fn loom_museum_a_wake_that_does_not_publish() {
        insta::assert_snapshot!(
            "unpublished_send",
            loom_report("unpublished_send")
        );
    }
    // ANCHOR_END: museum_tests
}
