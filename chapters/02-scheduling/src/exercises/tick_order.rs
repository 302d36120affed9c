//! Exercise 1 (small): predict the tick.
//!
//! [`scenario`] schedules callbacks with `call_soon`, `call_later` and
//! `call_at`, cancels one, stops the loop from a callback, and runs the loop
//! twice. Each callback writes its name and the loop time (on the virtual
//! clock, so the times are exact). Without running it, write down in
//! [`predicted_order`] every line it writes, in order. The grader runs the
//! scenario on a real aio loop and compares. The book's chapter 2 page
//! (`book/ch02-scheduling.md`, "Exercises") has the rules you need.

pub use crate::tick_scenario::{Log, scenario};

/// Every line [`scenario`] writes, in the order it writes them, each as
/// `"<name> at <milliseconds> ms"`, for example `"A at 0 ms"`.
pub fn predicted_order() -> Vec<&'static str> {
    // Your code here: one string per line the scenario writes.
    Vec::new()
}
