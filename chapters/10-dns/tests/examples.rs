//! Snapshot tests of the examples, run as a reader runs them, but inside the
//! sandbox, with its hosts file, so that the output is the same on every
//! machine; and the examples' errors: a name nobody knows, a name nobody
//! could look up, an unknown service, an argument that is not an address.
//! Nothing is redacted: inside the sandbox nothing varies.

mod common;

use common::{inside_sandbox, run, snapshot, start_empty_name_server};

const GETADDRINFO: &str = env!("CARGO_BIN_EXE_getaddrinfo");
const GETNAMEINFO: &str = env!("CARGO_BIN_EXE_getnameinfo");
const CHAPTER: &str = env!("CARGO_BIN_EXE_ch10-dns");

/// Runs an example that must succeed, and returns what it printed.
fn succeeds(program: &str, args: &[&str]) -> String {
    let ran = run(program, args);
    assert!(ran.status.success(), "{program}: {}", ran.stderr);
    assert_eq!(ran.stderr, "", "{program} wrote to stderr");
    ran.stdout
}

/// Checks that `ran` failed with status 1 and one line on stderr holding
/// each of `expected`.
fn one_error_line(ran: &common::Run, expected: &[&str]) {
    assert_eq!(ran.status.code(), Some(1), "{}", ran.stderr);
    assert_eq!(ran.stderr.lines().count(), 1, "one line: {}", ran.stderr);
    for expected in expected {
        assert!(
            ran.stderr.contains(expected),
            "no {expected:?} in: {}",
            ran.stderr
        );
    }
}

#[test]
fn getaddrinfo_looks_up_localhost_and_the_host_name() {
    if !inside_sandbox("getaddrinfo_looks_up_localhost_and_the_host_name") {
        return;
    }
    let output = succeeds(GETADDRINFO, &[]);
    snapshot("getaddrinfo", "getaddrinfo", &[], &output);
}

#[test]
fn getaddrinfo_reports_a_name_nobody_knows_in_its_place_and_goes_on() {
    if !inside_sandbox(
        "getaddrinfo_reports_a_name_nobody_knows_in_its_place_and_goes_on",
    ) {
        return;
    }
    let _names = start_empty_name_server();
    let args = ["printer.lan", "nowhere.invalid", "ip6-localhost"];
    let (output, status) = common::transcript(GETADDRINFO, &args);
    assert_eq!(status.code(), Some(1), "{output}");
    // Wider than the book's column, so a test, not a snapshot.
    let expected = [
        "printer.lan         : 10.0.0.7",
        "could not look up \"nowhere.invalid\": Name or service not known; \
         check the spelling, and /etc/hosts for a local name",
        "ip6-localhost       : ::1",
    ];
    assert_eq!(output.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn getnameinfo_names_the_loopback_addresses() {
    if !inside_sandbox("getnameinfo_names_the_loopback_addresses") {
        return;
    }
    let output = succeeds(GETNAMEINFO, &[]);
    snapshot("getnameinfo", "getnameinfo", &[], &output);
}

#[test]
fn getnameinfo_gives_the_number_of_an_address_with_no_name() {
    if !inside_sandbox(
        "getnameinfo_gives_the_number_of_an_address_with_no_name",
    ) {
        return;
    }
    let _names = start_empty_name_server();
    let args = ["10.0.0.7", "192.0.2.1", "::1"];
    let output = succeeds(GETNAMEINFO, &args);
    assert!(output.contains("192.0.2.1      : 192.0.2.1 https"), "{output}");
    snapshot("getnameinfo_addresses", "getnameinfo", &args, &output);
}

#[test]
fn the_default_binary_runs_both_examples_in_order() {
    if !inside_sandbox("the_default_binary_runs_both_examples_in_order") {
        return;
    }
    let expected = format!(
        "== getaddrinfo ==\n{}\n== getnameinfo ==\n{}",
        succeeds(GETADDRINFO, &[]),
        succeeds(GETNAMEINFO, &[])
    );
    assert_eq!(succeeds(CHAPTER, &[]), expected);
}

#[test]
fn with_no_name_server_a_name_not_in_hosts_is_one_line() {
    if !inside_sandbox("with_no_name_server_a_name_not_in_hosts_is_one_line") {
        return;
    }
    let ran = run(GETADDRINFO, &["printer.lan", "nowhere.example", "aio-book"]);
    one_error_line(&ran, &["\"nowhere.example\"", "did not answer"]);
    assert_eq!(
        ran.stdout,
        "printer.lan         : 10.0.0.7\naio-book            : 127.0.1.1\n"
    );
    let ran = run(GETNAMEINFO, &["192.0.2.1", "127.0.0.1"]);
    one_error_line(&ran, &["\"192.0.2.1\"", "did not answer"]);
    assert_eq!(ran.stdout, "127.0.0.1      : localhost https\n");
}

#[test]
fn names_no_one_could_look_up_are_refused_with_the_reason() {
    if !inside_sandbox("names_no_one_could_look_up_are_refused_with_the_reason")
    {
        return;
    }
    let long_label = format!("{}.lan", "a".repeat(64));
    for (name, reason) in [
        ("", "the name is empty"),
        (long_label.as_str(), "a label of the name is longer than 63 bytes"),
        ("printer..lan", "empty label"),
    ] {
        let ran = run(GETADDRINFO, &["localhost", name]);
        one_error_line(&ran, &[&format!("{name:?}"), reason, "no lookup"]);
        assert!(ran.stdout.contains("localhost           : 127.0.0.1"));
    }
}

#[test]
fn a_nul_byte_in_a_name_is_refused_before_any_lookup() {
    // A command line cannot carry a NUL byte (exec takes C strings), so this
    // asks the example's own function.
    if !inside_sandbox("a_nul_byte_in_a_name_is_refused_before_any_lookup") {
        return;
    }
    let lookup =
        ch10_dns::getaddrinfo::lines_for("printer\0lan".into(), "https".into());
    let error = aio::run(lookup).expect("the loop runs").unwrap_err();
    assert_eq!(error.code(), None, "no lookup was made: {error}");
    let message = error.to_string();
    assert!(message.contains("\"printer\\0lan\""), "{message}");
    assert!(message.contains("NUL byte"), "{message}");
}

#[test]
fn an_unknown_service_is_one_line_that_says_what_to_use() {
    if !inside_sandbox("an_unknown_service_is_one_line_that_says_what_to_use") {
        return;
    }
    let args = ["--service", "no-such-service", "localhost"];
    let ran = run(GETADDRINFO, &args);
    one_error_line(
        &ran,
        &["\"no-such-service\"", "a service name from /etc/services"],
    );
    assert_eq!(ran.stdout, "");
    let ran = run(GETADDRINFO, &["--service", "8443", "printer.lan"]);
    assert!(ran.status.success(), "a port number is a service: {}", ran.stderr);
    assert_eq!(ran.stdout, "printer.lan         : 10.0.0.7\n");
}

#[test]
fn an_argument_that_is_not_an_address_is_one_line_and_the_rest_print() {
    if !inside_sandbox(
        "an_argument_that_is_not_an_address_is_one_line_and_the_rest_print",
    ) {
        return;
    }
    let ran = run(GETNAMEINFO, &["127.0.0.1", "printer.lan", "::1"]);
    one_error_line(
        &ran,
        &["\"printer.lan\" is not an IP address", "like 127.0.0.1"],
    );
    assert_eq!(
        ran.stdout,
        "127.0.0.1      : localhost https\n::1            : localhost https\n"
    );
}

#[test]
fn a_bad_command_line_is_one_line_with_the_usage() {
    if !inside_sandbox("a_bad_command_line_is_one_line_with_the_usage") {
        return;
    }
    for args in [&["--port", "443"][..], &["localhost", "--service"]] {
        let ran = run(GETADDRINFO, args);
        one_error_line(&ran, &["getaddrinfo: ", ch10_dns::getaddrinfo::USAGE]);
        assert_eq!(ran.stdout, "");
    }
}
