//! Prints the trace behind each timeline: `cargo run -p figures --example
//! traces`. With a figure's name and a count (`timeline-echo 20`), runs that
//! one example that many times and says how many distinct traces it saw
//! (leaving out the ticks' times, which vary on the real clock).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [name, count] = &args[..] {
        let count: usize = count.parse().expect("a count");
        let mut seen = std::collections::BTreeMap::new();
        for _ in 0..count {
            let trace = without_times(&figures::timelines::trace_named(name));
            *seen.entry(trace).or_insert(0) += 1;
        }
        eprintln!("{name}: {} distinct trace(s) in {count} runs", seen.len());
        for (trace, times) in &seen {
            eprintln!("--- seen {times} times\n{trace}");
        }
        return;
    }
    for (name, trace) in figures::timelines::traces() {
        eprintln!("=== {name}\n{trace}");
    }
}

/// The trace's text with each tick's time left out.
fn without_times(trace: &aio::trace::Trace) -> String {
    trace
        .to_string()
        .lines()
        .map(|line| match line.split_once(" at ") {
            Some((tick, _)) if line.starts_with("tick ") => format!("{tick}\n"),
            _ => format!("{line}\n"),
        })
        .collect()
}
