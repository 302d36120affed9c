//! The first cut: every poll of two wrapped futures timed with `Instant`.
fn main() {
    ch14_debugging::first_cut::main();
}
