//! The echo conversation runs over real sockets, so its timeline could in
//! principle change from run to run (how the kernel batches readiness). It
//! must not, or its figure would be stale at random: run it a few times and
//! compare.

#[test]
fn the_echo_conversation_traces_the_same_every_time() {
    let first = figures::timelines::trace_named("timeline-echo").to_string();
    for run in 2..=10 {
        let again =
            figures::timelines::trace_named("timeline-echo").to_string();
        assert_eq!(again, first, "run {run} differs from the first");
    }
}
