//! The graders of chapter 11's exercises, one module per exercise.
//!
//! `cargo test -p ch11-subprocess --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.

mod collect_output {
    use super::grading::{shell_output, within};
    use ch11_subprocess::exercises::collect_output::run_collecting;

    /// Runs `script` with `sh -c` through `run_collecting`.
    fn collect(
        script: &str,
    ) -> (i32, ch11_subprocess::exercises::collect_output::Collector) {
        let script = script.to_owned();
        within(10, move || {
            aio::run(
                async move { run_collecting("sh", &["-c", &script]).await },
            )
            .expect("the loop runs")
            .unwrap_or_else(|error| panic!("run_collecting failed: {error}"))
        })
    }

    #[test]
    fn stdout_and_stderr_are_kept_apart() {
        let script =
            "printf out; printf err >&2; printf ' more'; printf ' again' >&2";
        let (_, collected) = collect(script);
        let expected = shell_output(script, b"");
        assert_eq!(
            String::from_utf8_lossy(&collected.stdout),
            String::from_utf8_lossy(&expected.stdout),
            "stdout is what `pipe_data_received` gets with fd 1"
        );
        assert_eq!(
            String::from_utf8_lossy(&collected.stderr),
            String::from_utf8_lossy(&expected.stderr),
            "stderr is what it gets with fd 2"
        );
    }

    #[test]
    fn the_return_code_is_the_childs() {
        let (returncode, _) = collect("exit 3");
        assert_eq!(returncode, 3, "`sh -c 'exit 3'` returns 3");
        let (returncode, _) = collect("kill -9 $$");
        assert_eq!(
            returncode, -9,
            "a child killed by signal 9 has the return code -9, as in asyncio"
        );
    }

    #[test]
    fn every_byte_of_a_large_output_arrives() {
        let script = "seq 1 150000; seq 1 50000 >&2";
        let (returncode, collected) = collect(script);
        let expected = shell_output(script, b"");
        assert_eq!(returncode, 0);
        assert_eq!(
            collected.stdout.len(),
            expected.stdout.len(),
            "about a megabyte on stdout arrives in many calls; keep them all"
        );
        assert_eq!(collected.stdout, expected.stdout);
        assert_eq!(collected.stderr, expected.stderr);
    }

    #[test]
    fn the_calls_come_in_the_protocols_order() {
        let (_, collected) = collect("printf hi; printf there >&2");
        let events = &collected.events;
        assert_eq!(
            events.first().map(String::as_str),
            Some("connection_made"),
            "connection_made comes first: {events:?}"
        );
        assert_eq!(
            events.last().map(String::as_str),
            Some("connection_lost"),
            "connection_lost comes last, once the child has exited and its \
             pipes have closed: {events:?}"
        );
        let mut middle: Vec<&str> =
            events[1..events.len() - 1].iter().map(String::as_str).collect();
        middle.sort_unstable();
        assert_eq!(
            middle,
            [
                "pipe_connection_lost 1",
                "pipe_connection_lost 2",
                "process_exited"
            ],
            "between them, each pipe's close and the exit, in any order: \
             {events:?}"
        );
    }
}

mod terminate_then_kill {
    use super::grading::within;
    use aio::{ProcessOptions, Stdio};
    use ch11_subprocess::exercises::terminate_then_kill::stop_after;
    use std::time::Duration;

    /// Runs `script` with `sh -c` and, once it has printed its first line
    /// (so that its traps are set, however slow the machine), stops it with
    /// `stop_after`: its return code and what it printed.
    fn stop(script: &str, timeout_ms: u64, grace_ms: u64) -> (i32, String) {
        let script = script.to_owned();
        within(10, move || {
            aio::run(async move {
                let options = ProcessOptions::new().stdout(Stdio::Pipe);
                let mut process =
                    aio::create_subprocess_shell(&script, options)
                        .await
                        .expect("sh starts");
                let stdout = process.stdout.take().expect("a pipe");
                let first = stdout.readline().await.expect("its first line");
                let reading = aio::spawn(async move {
                    let rest = stdout.read_to_end().await.unwrap_or_default();
                    [first, rest].concat()
                })
                .expect("spawn the reader");
                let (timeout, grace) = (
                    Duration::from_millis(timeout_ms),
                    Duration::from_millis(grace_ms),
                );
                let stopped = stop_after(&process, timeout, grace).await;
                let returncode = stopped.unwrap_or_else(|error| {
                    process.kill().ok();
                    panic!("stop_after failed: {error}")
                });
                let printed = reading.await.expect("the reader ends");
                (returncode, String::from_utf8_lossy(&printed).into_owned())
            })
            .expect("the loop runs")
        })
    }

    #[test]
    fn a_child_that_ends_in_time_is_left_alone() {
        let (returncode, _) =
            stop("echo started; sleep 0.2; exit 4", 5_000, 5_000);
        assert_eq!(
            returncode, 4,
            "the child exits by itself with 4 after 0.2 s, well within its \
             5 s: wait for it, do not signal it"
        );
    }

    #[test]
    fn a_child_still_running_is_asked_to_stop() {
        let (returncode, _) = stop("echo started; exec sleep 30", 200, 5_000);
        assert_eq!(
            returncode, -15,
            "`sleep 30` is still running at the timeout: SIGTERM first, \
             which ends it (-15), and no SIGKILL (-9)"
        );
    }

    #[test]
    fn a_child_that_cleans_up_on_sigterm_gets_the_time() {
        let script = "trap 'echo cleaning up; exit 7' TERM; \
                      echo started; while :; do sleep 0.05; done";
        let (returncode, printed) = stop(script, 300, 5_000);
        assert_eq!(
            (returncode, printed.as_str()),
            (7, "started\ncleaning up\n"),
            "the child traps SIGTERM, cleans up and exits with 7: it must \
             get that chance before any SIGKILL"
        );
    }

    #[test]
    fn a_child_that_ignores_sigterm_is_killed_after_the_grace() {
        let (returncode, _) =
            stop("trap '' TERM; echo started; exec sleep 30", 100, 300);
        assert_eq!(
            returncode, -9,
            "`sleep` with SIGTERM ignored is still running after the grace: \
             SIGKILL it (-9)"
        );
    }
}

mod live_lines {
    use super::grading::within;
    use ch11_subprocess::exercises::live_lines::LiveLines;
    use std::time::Duration;

    /// Prints `first`, waits for a line on stdin, prints it back upper-cased.
    const ECHO_AFTER_INPUT: &str = "import sys\n\
        print('first')\n\
        line = sys.stdin.readline()\n\
        print('got ' + line.strip().upper())\n";

    /// Takes `PYTHONUNBUFFERED` out of this process's environment, once, so
    /// that a script's output is buffered unless `LiveLines` asks otherwise
    /// (some shells and CI images set it for everyone).
    fn buffered_by_default() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: the other tests of this binary read the environment
            // only through the standard library (`Command`, `env::var`),
            // which takes the same lock as `remove_var`; nothing here reads
            // it through the C library meanwhile.
            unsafe { std::env::remove_var("PYTHONUNBUFFERED") };
        });
    }

    /// Starts `script`, in an environment that does not make Python
    /// unbuffered already.
    async fn start(script: &str) -> LiveLines {
        buffered_by_default();
        LiveLines::start(script)
            .await
            .unwrap_or_else(|error| panic!("start failed: {error}"))
    }

    /// The next line, or a failure that says why it did not come.
    async fn next(
        lines: &mut LiveLines,
        what: &str,
    ) -> Option<(Duration, String)> {
        aio::wait_for(lines.next_line(), Duration::from_secs(5))
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "no line came within 5 s while waiting for {what}: the \
                     script printed it and is waiting for input. A Python \
                     writing to a pipe keeps its output in a buffer until \
                     it is full or the script ends, unless it runs \
                     unbuffered (`-u`, or PYTHONUNBUFFERED=1)"
                )
            })
    }

    #[test]
    fn each_line_comes_before_the_next_is_printed() {
        within(15, || {
            aio::run(async {
                let mut lines = start(ECHO_AFTER_INPUT).await;
                let first = next(&mut lines, "the first line").await;
                assert_eq!(
                    first.map(|(_, line)| line).as_deref(),
                    Some("first"),
                    "the first line, without its newline"
                );
                lines.send("hello").await.expect("send to the script");
                let second = next(&mut lines, "the answer").await;
                assert_eq!(
                    second.map(|(_, line)| line).as_deref(),
                    Some("got HELLO")
                );
                let end = next(&mut lines, "the end").await;
                assert_eq!(end, None, "after the last line, None: the end");
                assert_eq!(lines.finish().await, 0, "the script's return code");
            })
            .expect("the loop runs");
        });
    }

    #[test]
    fn each_line_has_the_time_since_the_start() {
        within(15, || {
            aio::run(async {
                let clock = aio::get_running_loop().unwrap();
                let before = clock.time();
                let mut lines = start(ECHO_AFTER_INPUT).await;
                let (first_at, _) =
                    next(&mut lines, "the first line").await.expect("a line");
                let pause = Duration::from_millis(300);
                aio::sleep(pause).await;
                lines.send("later").await.expect("send to the script");
                let (second_at, _) =
                    next(&mut lines, "the answer").await.expect("a line");
                let elapsed = clock.time() - before;
                assert!(
                    second_at >= first_at + pause,
                    "the answer came at least {pause:?} after the first line \
                     (we waited that long before sending), but their times \
                     are {first_at:?} and {second_at:?}"
                );
                assert!(
                    second_at <= elapsed,
                    "a line's time is since `start`: {second_at:?} is more \
                     than the {elapsed:?} the whole test took"
                );
                lines.finish().await;
            })
            .expect("the loop runs");
        });
    }

    #[test]
    fn a_last_line_without_newline_and_the_return_code() {
        within(15, || {
            aio::run(async {
                let script =
                    "import sys\nsys.stdout.write('x\\ny')\nsys.exit(3)\n";
                let mut lines = start(script).await;
                let mut got = Vec::new();
                while let Some((_, line)) = next(&mut lines, "a line").await {
                    got.push(line);
                }
                assert_eq!(got, ["x", "y"], "a last line may have no newline");
                assert_eq!(lines.finish().await, 3, "`sys.exit(3)`");
            })
            .expect("the loop runs");
        });
    }
}

mod pipeline {
    use super::grading::{shell_output, within};
    use ch11_subprocess::exercises::pipeline::{PipelineOutput, run_pipeline};

    fn run(commands: &[&[&str]], input: &[u8]) -> PipelineOutput {
        let commands: Vec<Vec<String>> = commands
            .iter()
            .map(|command| {
                command.iter().map(|word| word.to_string()).collect()
            })
            .collect();
        let input = input.to_vec();
        within(15, move || {
            aio::run(async move {
                let words: Vec<Vec<&str>> = commands
                    .iter()
                    .map(|command| command.iter().map(String::as_str).collect())
                    .collect();
                let commands: Vec<&[&str]> =
                    words.iter().map(Vec::as_slice).collect();
                run_pipeline(&commands, &input).await
            })
            .expect("the loop runs")
            .unwrap_or_else(|error| panic!("run_pipeline failed: {error}"))
        })
    }

    #[test]
    fn two_commands_give_what_the_shell_gives() {
        let got = run(&[&["printf", "pear\\napple\\nfig\\n"], &["sort"]], b"");
        let shell = shell_output("printf 'pear\\napple\\nfig\\n' | sort", b"");
        assert_eq!(
            String::from_utf8_lossy(&got.output),
            String::from_utf8_lossy(&shell.stdout),
            "`printf ... | sort`: the last command's output"
        );
        assert_eq!(got.returncodes, [0, 0], "one return code per command");
    }

    #[test]
    fn the_input_goes_into_the_first_command() {
        let input = b"the quick brown fox\njumps over\n";
        let got = run(&[&["tr", "a-z", "A-Z"], &["cat"], &["wc", "-c"]], input);
        let shell = shell_output("tr a-z A-Z | cat | wc -c", input);
        assert_eq!(
            String::from_utf8_lossy(&got.output),
            String::from_utf8_lossy(&shell.stdout),
            "the input, then EOF, into `tr`; three commands in a row"
        );
        let got = run(&[&["tr", "a-z", "A-Z"]], input);
        assert_eq!(got.output, b"THE QUICK BROWN FOX\nJUMPS OVER\n");
    }

    #[test]
    fn more_than_a_pipe_holds_goes_through() {
        let got = run(
            &[&["seq", "1", "300000"], &["cat"], &["sort", "-n", "-r"]],
            b"",
        );
        let shell = shell_output("seq 1 300000 | cat | sort -n -r", b"");
        assert_eq!(
            got.output.len(),
            shell.stdout.len(),
            "about 2 MB pass through two copies: every byte must arrive"
        );
        assert!(
            got.output == shell.stdout,
            "the bytes differ from the shell's"
        );
        let input: Vec<u8> =
            (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let got = run(&[&["cat"], &["cat"]], &input);
        assert!(
            got.output == input,
            "3 MB of input come out of `cat | cat` unchanged"
        );
    }

    #[test]
    fn return_codes_come_in_pipeline_order() {
        let got = run(
            &[
                &["sh", "-c", "printf x; exit 3"],
                &["sh", "-c", "cat; exit 5"],
                &["sh", "-c", "cat"],
            ],
            b"",
        );
        assert_eq!(got.output, b"x");
        assert_eq!(
            got.returncodes,
            [3, 5, 0],
            "each command's own code, in order"
        );
    }

    #[test]
    fn a_command_that_stops_reading_ends_the_pipeline() {
        let forever = "while :; do echo tick; sleep 0.01; done";
        let got = run(&[&["sh", "-c", forever], &["head", "-n", "2"]], b"");
        assert_eq!(
            got.output, b"tick\ntick\n",
            "`head -n 2` prints two lines and exits"
        );
        assert_eq!(got.returncodes.len(), 2, "two commands, two codes");
        assert_eq!(got.returncodes[1], 0, "`head` succeeded");
        assert!(
            got.returncodes[0] < 0,
            "the first command never ends by itself: once `head` stopped \
             reading, closing the pipe it writes to gets it SIGPIPE (-13), \
             as in a shell; it returned {}",
            got.returncodes[0]
        );
    }
}

/// What the graders share: the shell's answers, and bounds on waiting.
mod grading {
    use crate::shared_grading::{self, Limit};
    use std::io::Write;
    use std::process::{Command, Output, Stdio};

    /// What `sh -c script` writes, given `input`, run by the standard
    /// library: the answer to compare with.
    pub fn shell_output(script: &str, input: &[u8]) -> Output {
        let mut child = Command::new("sh")
            .args(["-c", script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sh runs");
        let mut stdin = child.stdin.take().expect("a pipe");
        let input = input.to_vec();
        let feeder = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let output = child.wait_with_output().expect("sh ends");
        feeder.join().expect("the feeder ends");
        output
    }

    /// Runs `test` on a thread of its own and gives its result, or fails
    /// if it takes more than `seconds`: code that blocks the loop, or waits
    /// for a child that never ends, fails the grader instead of hanging it.
    pub fn within<T: Send + 'static>(
        seconds: u64,
        test: impl FnOnce() -> T + Send + 'static,
    ) -> T {
        let why = "does the code block the loop, or wait for a child that \
                   never ends?";
        shared_grading::within(Limit::seconds(seconds, why), test)
    }
}

#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
