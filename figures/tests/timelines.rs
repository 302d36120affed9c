//! The conversations over real sockets could in principle trace differently
//! from run to run (how the kernel batches readiness). They must not, or
//! their figures would be stale at random: run each a few times and compare.

#[test]
fn the_echo_conversation_traces_the_same_every_time() {
    let first = figures::timelines::trace_named("timeline-echo").to_string();
    for run in 2..=10 {
        let again =
            figures::timelines::trace_named("timeline-echo").to_string();
        assert_eq!(again, first, "run {run} differs from the first");
    }
}

/// The lookup's answer comes from a worker thread of the default executor:
/// nothing that thread does may change the trace (not even its pool
/// being shut down at the end).
#[test]
fn the_lookup_off_the_loop_traces_the_same_every_time() {
    let name = "timeline-lookup-off-the-loop";
    let first = figures::timelines::trace_named(name).to_string();
    for run in 2..=20 {
        let again = figures::timelines::trace_named(name).to_string();
        assert_eq!(again, first, "run {run} differs from the first");
    }
}

/// The TLS echo runs on the real clock (its handshake timer must never be
/// jumped to), so its trace's times vary; its figure, which leaves them
/// out, must not. Nor may TLS's random key shares and tickets change it.
#[test]
fn the_tls_echo_draws_the_same_every_time() {
    let name = "timeline-tls-handshake";
    let first = figures::timelines::figure_named(name).svg;
    for run in 2..=10 {
        let again = figures::timelines::figure_named(name).svg;
        assert_eq!(
            again, first,
            "run {run} differs from the first: see the traces with `cargo \
             run -p figures --example traces -- {name} 20`"
        );
    }
}
