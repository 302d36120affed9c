//! Chapter 11: child processes, their pipes and their exit, against real
//! programs (`cat`, `tr`, `sh`, `sleep`, `true`, `false`). Every test also
//! checks that nothing is left behind: no descriptor stays open and no
//! child stays a zombie.
//!
//! The tests run one at a time (`serial()`): descriptors and children are
//! counted for the whole process.

mod common;
#[path = "support/children.rs"]
mod children;

use aio::{
    ProcessOptions, SpawnReason, Stdio, SubprocessProtocol, SubprocessTransport,
};
use children::{
    WATCHERS, exists, leaves_nothing_behind, open_descriptors, serial, settle,
    zombies,
};
use common::CapturedLog;
use std::cell::RefCell;
use std::io;
use std::rc::Rc;
use std::time::Duration;

/// Waits, on the loop, until process `pid` is gone (neither running nor a
/// zombie), for ten seconds at most (a hang guard); gives whether it went.
async fn gone(pid: u32) -> bool {
    for _ in 0..1000 {
        if !exists(pid) {
            return true;
        }
        aio::sleep(Duration::from_millis(10)).await;
    }
    false
}

fn piped() -> ProcessOptions {
    ProcessOptions::new()
        .stdin(Stdio::Pipe)
        .stdout(Stdio::Pipe)
        .stderr(Stdio::Pipe)
}

/// What a subprocess protocol hears, in order.
#[derive(Default)]
struct Recorder {
    events: Rc<RefCell<Vec<String>>>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl SubprocessProtocol for Recorder {
    fn connection_made(&mut self, transport: SubprocessTransport) {
        let pipes: Vec<bool> = (0..3)
            .map(|fd| transport.get_pipe_transport(fd).is_some())
            .collect();
        self.events.borrow_mut().push(format!("connection_made {pipes:?}"));
    }
    fn pipe_data_received(&mut self, fd: i32, data: &[u8]) {
        match fd {
            1 => self.stdout.extend_from_slice(data),
            _ => self.stderr.extend_from_slice(data),
        }
    }
    fn pipe_connection_lost(&mut self, fd: i32, error: Option<io::Error>) {
        let error = error.map(|error| error.kind());
        self.events
            .borrow_mut()
            .push(format!("pipe_connection_lost {fd} {error:?}"));
    }
    fn process_exited(&mut self) {
        self.events.borrow_mut().push("process_exited".into());
    }
    fn connection_lost(&mut self, error: Option<io::Error>) {
        let error = error.map(|error| error.to_string());
        self.events.borrow_mut().push(format!("connection_lost {error:?}"));
    }
}

#[test]
fn a_protocol_hears_the_output_each_pipe_close_and_the_exit_then_the_end() {
    let _serial = serial();
    for watcher in WATCHERS {
        let (events, stdout, stderr, code) =
            leaves_nothing_behind(async move {
                let options = ProcessOptions::new()
                    .stdin(Stdio::Null)
                    .child_watcher(watcher);
                let (transport, protocol) = aio::subprocess_shell(
                    Recorder::default(),
                    "echo out; echo err >&2; exit 3",
                    options,
                )
                .await
                .unwrap();
                let code = transport.wait().await;
                let protocol = protocol.borrow();
                let events = protocol.events.borrow().clone();
                (events, protocol.stdout.clone(), protocol.stderr.clone(), code)
            });
        assert_eq!(code, 3);
        assert_eq!(stdout, b"out\n");
        assert_eq!(stderr, b"err\n");
        assert_eq!(events[0], "connection_made [false, true, true]");
        assert_eq!(events.last().unwrap(), "connection_lost None");
        let mut middle = events[1..events.len() - 1].to_vec();
        middle.sort();
        assert_eq!(
            middle,
            [
                "pipe_connection_lost 1 None",
                "pipe_connection_lost 2 None",
                "process_exited"
            ],
            "{watcher:?}"
        );
    }
}

#[test]
fn communicate_pipes_text_through_tr() {
    let _serial = serial();
    let (output, errors, code) = leaves_nothing_behind(async {
        let mut process = aio::create_subprocess_exec(
            "tr",
            ["[:lower:]", "[:upper:]"],
            piped(),
        )
        .await
        .unwrap();
        let (output, errors) = process
            .communicate(Some(b"This message will be upper-cased"))
            .await
            .unwrap();
        (output, errors, process.returncode())
    });
    assert_eq!(output.unwrap(), b"THIS MESSAGE WILL BE UPPER-CASED");
    assert_eq!(errors.unwrap(), b"");
    assert_eq!(code, Some(0));
}

#[test]
fn communicate_moves_twenty_megabytes_each_way_through_cat() {
    let _serial = serial();
    for watcher in WATCHERS {
        let input: Vec<u8> =
            (0..20_000_000u32).map(|i| (i % 251) as u8).collect();
        let expected = input.clone();
        let output = leaves_nothing_behind(async move {
            let options = piped().child_watcher(watcher);
            let mut process =
                aio::create_subprocess_exec("cat", [] as [&str; 0], options)
                    .await
                    .unwrap();
            let (output, _) = process.communicate(Some(&input)).await.unwrap();
            assert_eq!(process.returncode(), Some(0));
            output.unwrap()
        });
        assert!(output == expected, "cat gave back what it was given");
    }
}

#[test]
fn a_child_that_never_reads_its_stdin_does_not_fail_communicate() {
    let _serial = serial();
    let code = leaves_nothing_behind(async {
        let mut process =
            aio::create_subprocess_exec("true", [] as [&str; 0], piped())
                .await
                .unwrap();
        // More than a pipe holds, so the write must meet the closed pipe.
        let input = vec![b'x'; 4 * 1024 * 1024];
        let (output, _) = process.communicate(Some(&input)).await.unwrap();
        assert_eq!(output.unwrap(), b"");
        process.returncode()
    });
    assert_eq!(code, Some(0));
}

#[test]
fn reading_stdout_line_by_line_until_eof_then_the_return_code() {
    let _serial = serial();
    let (lines, code) = leaves_nothing_behind(async {
        let options = ProcessOptions::new().stdout(Stdio::Pipe);
        let mut process = aio::create_subprocess_shell(
            "for i in 1 2 3; do echo line $i; done; false",
            options,
        )
        .await
        .unwrap();
        let stdout = process.stdout.take().unwrap();
        let mut lines = Vec::new();
        loop {
            let line = stdout.readline().await.unwrap();
            if line.is_empty() {
                break;
            }
            lines.push(String::from_utf8(line).unwrap());
        }
        (lines, process.wait().await)
    });
    assert_eq!(lines, ["line 1\n", "line 2\n", "line 3\n"]);
    assert_eq!(code, 1);
}

#[test]
fn stderr_can_go_where_stdout_goes() {
    let _serial = serial();
    let output = leaves_nothing_behind(async {
        let options =
            ProcessOptions::new().stdout(Stdio::Pipe).stderr(Stdio::Stdout);
        let mut process = aio::create_subprocess_shell(
            "echo one; echo two >&2; echo three",
            options,
        )
        .await
        .unwrap();
        assert!(process.stderr.is_none());
        process.communicate(None).await.unwrap().0.unwrap()
    });
    assert_eq!(output, b"one\ntwo\nthree\n");
}

#[test]
fn cwd_and_env_reach_the_child() {
    let _serial = serial();
    let output = leaves_nothing_behind(async {
        let options = ProcessOptions::new()
            .stdout(Stdio::Pipe)
            .cwd("/tmp")
            .env_clear()
            .env("GREETING", "hello");
        let mut process = aio::create_subprocess_exec(
            "/bin/sh",
            ["-c", "echo $GREETING from $(pwd); echo PATH=$PATH"],
            options,
        )
        .await
        .unwrap();
        process.communicate(None).await.unwrap().0.unwrap()
    });
    let output = String::from_utf8(output).unwrap();
    assert!(output.starts_with("hello from /tmp\n"), "{output}");
}

#[test]
fn a_program_that_does_not_exist_is_a_typed_error_naming_it() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let error = aio::create_subprocess_exec(
            "no-such-program-aio",
            ["x"],
            ProcessOptions::new(),
        )
        .await
        .unwrap_err();
        assert!(matches!(error.reason(), SpawnReason::ProgramNotFound));
        assert_eq!(error.program(), "no-such-program-aio");
        assert!(error.to_string().contains("no-such-program-aio"));
        let error = io::Error::from(error);
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    });
}

#[test]
fn a_file_that_is_not_executable_is_a_typed_error_naming_it() {
    let _serial = serial();
    let dir =
        std::env::temp_dir().join(format!("aio-noexec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("script.sh");
    std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
    let path = script.to_string_lossy().into_owned();
    let shown = path.clone();
    leaves_nothing_behind(async move {
        let error = aio::create_subprocess_exec(
            &path,
            [] as [&str; 0],
            ProcessOptions::new(),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(error.reason(), SpawnReason::NotExecutable(_)),
            "{error}"
        );
        assert!(error.to_string().contains(&shown));
        assert!(error.to_string().contains("chmod +x"));
    });
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_working_directory_that_does_not_exist_is_named_not_the_program() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let options = ProcessOptions::new().cwd("/no/such/directory/aio");
        let error = aio::create_subprocess_exec("ls", [] as [&str; 0], options)
            .await
            .unwrap_err();
        assert!(
            matches!(error.reason(), SpawnReason::CwdNotFound(_)),
            "{error}"
        );
        assert!(error.to_string().contains("/no/such/directory/aio"));
    });
}

#[test]
fn stdout_as_stdin_is_refused_with_advice() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let options = ProcessOptions::new().stdin(Stdio::Stdout);
        let error =
            aio::create_subprocess_exec("cat", [] as [&str; 0], options)
                .await
                .unwrap_err();
        assert!(matches!(error.reason(), SpawnReason::InvalidOptions(_)));
        assert!(error.to_string().contains("stderr only"), "{error}");
    });
}

#[test]
fn a_child_killed_by_a_signal_has_a_negative_return_code() {
    let _serial = serial();
    for watcher in WATCHERS {
        let (terminated, killed) = leaves_nothing_behind(async move {
            let options = ProcessOptions::new().child_watcher(watcher);
            let first =
                aio::create_subprocess_exec("sleep", ["60"], options.clone())
                    .await
                    .unwrap();
            first.terminate().unwrap();
            let second = aio::create_subprocess_exec("sleep", ["60"], options)
                .await
                .unwrap();
            second.kill().unwrap();
            (first.wait().await, second.wait().await)
        });
        assert_eq!(terminated, -libc::SIGTERM, "{watcher:?}");
        assert_eq!(killed, -libc::SIGKILL, "{watcher:?}");
    }
}

#[test]
fn signalling_an_exited_child_does_nothing_and_a_bad_signal_is_refused() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let process =
            aio::create_subprocess_exec("sleep", ["60"], ProcessOptions::new())
                .await
                .unwrap();
        let refused = process.send_signal(1000).unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::InvalidInput);
        assert!(refused.to_string().contains("1000"));
        process.kill().unwrap();
        assert_eq!(process.wait().await, -libc::SIGKILL);
        process.kill().expect("an exited child is not signalled");
        process.send_signal(libc::SIGTERM).unwrap();
    });
}

#[test]
fn a_wait_that_times_out_leaves_a_child_that_can_be_killed_and_reaped() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let process =
            aio::create_subprocess_exec("sleep", ["60"], ProcessOptions::new())
                .await
                .unwrap();
        let timed_out =
            aio::wait_for(process.wait(), Duration::from_millis(50)).await;
        assert!(timed_out.is_err(), "sleep 60 is still running");
        assert_eq!(process.returncode(), None);
        process.kill().unwrap();
        assert_eq!(process.wait().await, -libc::SIGKILL);
    });
}

#[test]
fn a_dropped_process_is_still_reaped_when_its_child_exits() {
    let _serial = serial();
    for watcher in WATCHERS {
        leaves_nothing_behind(async move {
            let options = ProcessOptions::new().child_watcher(watcher);
            let process =
                aio::create_subprocess_exec("sleep", ["0.2"], options)
                    .await
                    .unwrap();
            let pid = process.pid();
            drop(process);
            // The child runs on after its Process is gone...
            assert!(exists(pid));
            // ...and is reaped once it exits: no zombie stays.
            assert!(gone(pid).await, "child {pid} was never reaped");
        });
    }
}

#[test]
fn kill_on_drop_kills_a_dropped_processs_child() {
    let _serial = serial();
    leaves_nothing_behind(async {
        let options = ProcessOptions::new().kill_on_drop(true);
        let process = aio::create_subprocess_exec("sleep", ["60"], options)
            .await
            .unwrap();
        let pid = process.pid();
        drop(process);
        assert!(gone(pid).await, "child {pid} was neither killed nor reaped");
    });
}

#[test]
fn closing_a_loop_with_a_live_child_warns_names_it_kills_and_reaps_it() {
    let _serial = serial();
    let log = CapturedLog::start();
    let before = open_descriptors();
    let pid = aio::run(async {
        let process =
            aio::create_subprocess_exec("sleep", ["60"], ProcessOptions::new())
                .await
                .unwrap();
        process.pid()
    })
    .unwrap();
    assert!(!exists(pid), "the child was killed and reaped");
    assert_eq!(zombies(), Vec::<u32>::new());
    settle(|| open_descriptors() == before);
    assert_eq!(open_descriptors(), before);
    let warnings: Vec<String> = log
        .records()
        .into_iter()
        .filter(|(level, _)| *level == aio::Level::Warn)
        .map(|(_, message)| message)
        .collect();
    assert!(
        warnings.iter().any(|message| message.contains(&pid.to_string())
            && message.contains("sleep 60")
            && message.contains("killing")),
        "{warnings:?}"
    );
}

#[test]
fn writing_to_an_output_pipe_is_refused_and_the_pipe_goes_on() {
    let _serial = serial();
    let output = leaves_nothing_behind(async {
        let (transport, protocol) = aio::subprocess_shell(
            Recorder::default(),
            "read line; echo got $line",
            ProcessOptions::new(),
        )
        .await
        .unwrap();
        let stdout = transport.get_pipe_transport(1).unwrap();
        let refused = stdout.write(b"nope").unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::Unsupported);
        assert!(refused.to_string().contains("get_pipe_transport(0)"));
        assert!(!stdout.can_write_eof());
        let stdin = transport.get_pipe_transport(0).unwrap();
        stdin.write(b"hello\n").unwrap();
        stdin.close();
        assert_eq!(transport.wait().await, 0);
        protocol.borrow().stdout.clone()
    });
    assert_eq!(output, b"got hello\n");
}

#[test]
fn closing_the_transport_kills_a_running_child_and_the_end_still_comes() {
    let _serial = serial();
    let (code, events) = leaves_nothing_behind(async {
        let (transport, protocol) = aio::subprocess_exec(
            Recorder::default(),
            "sleep",
            ["60"],
            ProcessOptions::new(),
        )
        .await
        .unwrap();
        transport.close();
        assert!(transport.is_closing());
        let code = transport.wait().await;
        let events = protocol.borrow().events.borrow().clone();
        (code, events)
    });
    assert_eq!(code, -libc::SIGKILL);
    assert_eq!(events.last().unwrap(), "connection_lost None");
}

#[test]
fn a_panicking_protocol_costs_only_its_own_child() {
    let _serial = serial();
    struct Panics;
    impl SubprocessProtocol for Panics {
        fn pipe_data_received(&mut self, _: i32, _: &[u8]) {
            panic!("no output wanted");
        }
    }
    let log = CapturedLog::start();
    let (code, other) = leaves_nothing_behind(async {
        let (transport, _) = aio::subprocess_shell(
            Panics,
            "echo hi; exec sleep 60",
            ProcessOptions::new(),
        )
        .await
        .unwrap();
        let mut other = aio::create_subprocess_exec("echo", ["fine"], piped())
            .await
            .unwrap();
        let (output, _) = other.communicate(None).await.unwrap();
        (transport.wait().await, output.unwrap())
    });
    assert_eq!(code, -libc::SIGKILL, "the panic closed its transport");
    assert_eq!(other, b"fine\n");
    assert!(
        log.records()
            .iter()
            .any(|(level, message)| *level == aio::Level::Error
                && message.contains("no output wanted"))
    );
}

#[test]
fn a_thousand_spawns_in_a_row_leave_nothing_behind() {
    let _serial = serial();
    let codes = leaves_nothing_behind(async {
        let mut codes = Vec::new();
        for i in 0..1000 {
            let program = if i % 2 == 0 { "true" } else { "false" };
            let options = ProcessOptions::new().stdout(Stdio::Pipe);
            let process =
                aio::create_subprocess_exec(program, [] as [&str; 0], options)
                    .await
                    .unwrap();
            codes.push(process.wait().await);
        }
        codes
    });
    assert_eq!(codes.iter().filter(|&&code| code == 0).count(), 500);
    assert_eq!(codes.iter().filter(|&&code| code == 1).count(), 500);
}

/// Runs `body` on a loop with the virtual clock, and checks that it left
/// nothing behind.
fn on_the_virtual_clock<T: 'static>(
    body: impl Future<Output = T> + 'static,
) -> T {
    let before = open_descriptors();
    let event_loop = common::virtual_loop();
    let result = event_loop.run_until_complete(body).expect("the loop ran");
    event_loop.close().unwrap();
    drop(event_loop); // its poller's descriptors close with it
    settle(|| open_descriptors() == before);
    assert_eq!(open_descriptors(), before, "a descriptor was left open");
    assert_eq!(zombies(), Vec::<u32>::new(), "a child was left a zombie");
    result
}

#[test]
fn on_the_virtual_clock_a_timeout_does_not_beat_a_quicker_child() {
    let _serial = serial();
    for watcher in WATCHERS {
        let code = on_the_virtual_clock(async move {
            let options = ProcessOptions::new().child_watcher(watcher);
            let process =
                aio::create_subprocess_exec("sleep", ["0.2"], options)
                    .await
                    .unwrap();
            // Jumping to the timer would time out at once; the child's exit
            // is owed, so the clock waits for it as the real one would.
            aio::wait_for(process.wait(), Duration::from_secs(30)).await
        });
        assert_eq!(code.expect("the child won the race"), 0, "{watcher:?}");
    }
}

#[test]
fn on_the_virtual_clock_a_timeout_still_beats_a_slower_child() {
    let _serial = serial();
    for watcher in WATCHERS {
        let elapsed = on_the_virtual_clock(async move {
            let options = ProcessOptions::new().child_watcher(watcher);
            let process = aio::create_subprocess_exec("sleep", ["60"], options)
                .await
                .unwrap();
            let start = aio::get_running_loop().unwrap().time();
            let waited =
                aio::wait_for(process.wait(), Duration::from_millis(200)).await;
            assert!(waited.is_err(), "sleep 60 is still running");
            let elapsed = aio::get_running_loop().unwrap().time() - start;
            process.kill().unwrap();
            assert_eq!(process.wait().await, -libc::SIGKILL);
            elapsed
        });
        assert_eq!(elapsed, Duration::from_millis(200), "{watcher:?}");
    }
}
