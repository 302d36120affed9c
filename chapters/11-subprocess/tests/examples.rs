//! The examples, run as a reader runs them, in every setting of
//! `common::SETTINGS`, each of which must print the same. The pid is
//! redacted, once checked to be a number. `tr` and the first cut always print
//! the same, so they are snapshots; `df`'s table is this machine's, so the
//! two `df` examples are checked against `df -hl` run by the test itself.

mod common;

use common::{SETTINGS, check_free_space, df, redact_pid, snapshot, succeeds};

const PROTOCOL: &str = env!("CARGO_BIN_EXE_subprocess_protocol");
const COROUTINE: &str = env!("CARGO_BIN_EXE_subprocess_coroutine");
const WRITE: &str = env!("CARGO_BIN_EXE_subprocess_coroutine_write");
const FIRST_CUT: &str = env!("CARGO_BIN_EXE_first_cut");
const CHAPTER: &str = env!("CARGO_BIN_EXE_ch11-subprocess");

/// The lines of `output` before its free-space table.
fn log_of(output: &str) -> &str {
    match output.split_once("\nFree space:\n") {
        Some((log, _)) => log,
        None => panic!("no free-space table in:\n{output}"),
    }
}

/// Where `line` is in `lines`: it must be there once.
fn at(lines: &[&str], line: &str) -> usize {
    let mut found = lines.iter().enumerate().filter(|(_, l)| **l == line);
    let (index, _) = found.next().unwrap_or_else(|| panic!("no {line:?}"));
    assert!(found.next().is_none(), "{line:?} twice in {lines:#?}");
    index
}

/// The protocol's callbacks run as the loop sees each event, and `run_df`
/// goes on when its task is next run, so only this order is certain: the
/// callbacks' own, the reads between the start and the parse (the child may
/// exit before its output is read: `process exited` may come first), and
/// `run_df`'s lines in its order.
fn check_protocol_log(output: &str) {
    let log = redact_pid(log_of(output), "process started ");
    let lines: Vec<&str> = log.lines().collect();
    let waiting = "waiting for process to complete";
    let is_read = |line: &&str| line.starts_with("read ");
    let others: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|line| !is_read(line) && *line != waiting)
        .collect();
    let expected = [
        "in run_df",
        "launching process",
        "process started [pid]",
        "process exited",
        "return code 0",
        "parsing results",
    ];
    assert_eq!(others, expected, "{output}");
    let started = at(&lines, "process started [pid]");
    let parsing = at(&lines, "parsing results");
    assert!(at(&lines, waiting) > started, "{output}");
    let reads: Vec<usize> =
        (0..lines.len()).filter(|&i| is_read(&lines[i])).collect();
    assert!(!reads.is_empty(), "no read in:\n{output}");
    for read in reads {
        assert!(started < read && read < parsing, "{output}");
        let bytes = lines[read]
            .strip_prefix("read ")
            .and_then(|rest| rest.strip_suffix(" bytes from stdout"))
            .and_then(|count| count.parse::<usize>().ok());
        assert!(bytes.is_some_and(|bytes| bytes > 0), "{}", lines[read]);
    }
}

#[test]
fn subprocess_protocol_reports_the_process_and_dfs_free_space() {
    for setting in SETTINGS {
        let before = df();
        let output = succeeds(PROTOCOL, setting);
        let after = df();
        check_protocol_log(&output);
        check_free_space(&output, &before, &after);
    }
}

/// `run_df` reads one line at a time, so its log is in one certain order:
/// one read per line of `df`'s output (the header and a line per file
/// system), then the empty read of EOF.
fn check_coroutine_log(output: &str, file_systems: usize) {
    let log = redact_pid(log_of(output), "pid ");
    let lines: Vec<&str> = log.lines().collect();
    let (head, reads, tail) = (3, file_systems + 1, 5);
    assert_eq!(lines.len(), head + reads + tail, "{output}");
    let (head, rest) = lines.split_at(head);
    assert_eq!(head, ["in run_df", "launching process", "pid [pid]"]);
    let (reads, tail) = rest.split_at(reads);
    for read in reads {
        let quoted =
            read.starts_with("read b'") || read.starts_with("read b\"");
        assert!(quoted, "{read}");
        assert!(read.ends_with("\\n'") || read.ends_with("\\n\""), "{read}");
    }
    let expected = [
        "read b''",
        "no more output from command",
        "waiting for process to complete",
        "return code 0",
        "parsing results",
    ];
    assert_eq!(tail, expected, "{output}");
}

#[test]
fn subprocess_coroutine_reads_dfs_lines_and_prints_its_free_space() {
    for setting in SETTINGS {
        let before = df();
        let output = succeeds(COROUTINE, setting);
        let after = df();
        check_coroutine_log(&output, before.len());
        check_free_space(&output, &before, &after);
    }
}

/// Runs `binary` in every setting, checks they all print the same, and
/// returns what they printed.
fn the_same_in_every_setting(
    binary: &str,
    redact: fn(&str) -> String,
) -> String {
    let outputs: Vec<String> = SETTINGS
        .iter()
        .map(|setting| redact(&succeeds(binary, setting)))
        .collect();
    for (output, setting) in outputs.iter().zip(SETTINGS).skip(1) {
        assert_eq!(output, &outputs[0], "with {setting:?}");
    }
    outputs[0].clone()
}

#[test]
fn subprocess_coroutine_write_upper_cases_the_message_through_tr() {
    let output =
        the_same_in_every_setting(WRITE, |output| redact_pid(output, "pid "));
    snapshot(
        "subprocess_coroutine_write",
        "subprocess_coroutine_write",
        &output,
    );
}

#[test]
fn first_cut_ticks_on_the_loop_while_a_thread_waits_for_cat() {
    let output = the_same_in_every_setting(FIRST_CUT, str::to_owned);
    snapshot("first_cut", "first_cut", &output);
}

/// The chapter binary's output cut at its headings: each example's name and
/// what it printed (the blank line between two examples is neither's).
fn sections(output: &str) -> Vec<(String, String)> {
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in output.lines() {
        let heading =
            line.strip_prefix("== ").and_then(|l| l.strip_suffix(" =="));
        match (heading, sections.last_mut()) {
            (Some(name), _) => sections.push((name.to_owned(), String::new())),
            (None, Some((_, body))) => body.push_str(&format!("{line}\n")),
            (None, None) => panic!("{line:?} before the first heading"),
        }
    }
    let last = sections.len().saturating_sub(1);
    for (name, body) in &mut sections[..last] {
        assert!(body.ends_with("\n\n"), "no blank line after {name}");
        body.pop();
    }
    sections
}

#[test]
fn the_default_binary_runs_every_example_in_order() {
    let before = df();
    let output = succeeds(CHAPTER, &[]);
    let after = df();
    let sections = sections(&output);
    let names: Vec<&str> =
        sections.iter().map(|(name, _)| name.as_str()).collect();
    let expected: Vec<&str> =
        ch11_subprocess::EXAMPLES.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, expected);
    assert_eq!(
        expected,
        [
            "subprocess_protocol",
            "subprocess_coroutine",
            "subprocess_coroutine_write"
        ]
    );
    let [(_, protocol), (_, coroutine), (_, write)] = &sections[..] else {
        unreachable!("three sections, checked above");
    };
    check_protocol_log(protocol);
    check_free_space(protocol, &before, &after);
    check_coroutine_log(coroutine, before.len());
    check_free_space(coroutine, &before, &after);
    let alone = succeeds(WRITE, &[]);
    assert_eq!(redact_pid(write, "pid "), redact_pid(&alone, "pid "));
}
