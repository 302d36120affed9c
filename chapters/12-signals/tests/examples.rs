//! The examples, run as a reader runs them, in every setting of
//! `common::SETTINGS`, each of which must print the same: a handler runs
//! after its signal's sender has yielded, on the real clock and on the
//! virtual one alike. The pid is redacted, once checked to be a number.

mod common;

use common::{SETTINGS, redact_pid, snapshot, succeeds};

const SIGNAL: &str = env!("CARGO_BIN_EXE_signal");
const FIRST_CUT: &str = env!("CARGO_BIN_EXE_polled_flag");
const CHAPTER: &str = env!("CARGO_BIN_EXE_ch12-signals");

/// What `binary` printed, its pid redacted.
fn redacted(binary: &str, setting: &[(&str, &str)]) -> String {
    redact_pid(&succeeds(binary, setting), "starting send_signals for ")
}

/// Runs `binary` in every setting, checks they all print the same, and
/// returns what they printed.
fn the_same_in_every_setting(binary: &str) -> String {
    let outputs: Vec<String> =
        SETTINGS.iter().map(|setting| redacted(binary, setting)).collect();
    for (output, setting) in outputs.iter().zip(SETTINGS).skip(1) {
        assert_eq!(output, &outputs[0], "with {setting:?}");
    }
    outputs[0].clone()
}

#[test]
fn signal_runs_each_handler_once_the_sender_yields() {
    let output = the_same_in_every_setting(SIGNAL);
    snapshot("signal", "cargo run -p ch12-signals --bin signal", &output);
}

#[test]
fn first_cut_runs_each_handler_when_the_poller_sees_its_flag() {
    // On the virtual clock the poller's looks and the sender's sleeps are
    // exact, so the output is always this.
    let exact = redacted(FIRST_CUT, SETTINGS[1]);
    let how = "AIO_CLOCK=virtual cargo run -p ch12-signals --bin polled_flag";
    snapshot("polled_flag", how, &exact);
    // On the real clock a busy machine can delay the poller past the next
    // signal, and then two SIGHUPs make one flag and one call: the first
    // cut's own coalescing. Everything else is the same, and every signal
    // sent is handled at least once.
    let real = redacted(FIRST_CUT, SETTINGS[0]);
    let calls = |output: &str, signal: &str| {
        let call = format!("signal_handler(\"{signal}\")");
        output.lines().filter(|line| *line == call).count()
    };
    let others = |output: &str| -> Vec<String> {
        let lines = output.lines().filter(|l| !l.starts_with("signal_handler"));
        lines.map(str::to_owned).collect()
    };
    assert_eq!(others(&real), others(&exact), "{real}");
    assert!((1..=2).contains(&calls(&real, "SIGHUP")), "{real}");
    assert_eq!(calls(&real, "SIGUSR1"), 1, "{real}");
}

#[test]
fn the_default_binary_runs_the_signal_example() {
    assert_eq!(redacted(CHAPTER, &[]), redacted(SIGNAL, &[]));
}
