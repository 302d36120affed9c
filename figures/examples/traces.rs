//! Prints the trace behind each timeline: `cargo run -p figures --example
//! traces`. With a figure's name and a count (`timeline-echo 20`), runs that
//! one example that many times and says how many distinct traces it saw.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [name, count] = &args[..] {
        let count: usize = count.parse().expect("a count");
        let mut seen = std::collections::BTreeMap::new();
        for _ in 0..count {
            let trace = figures::timelines::trace_named(name).to_string();
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
