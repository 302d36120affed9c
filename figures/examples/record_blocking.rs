//! Records chapter 13's measured timeline: `cargo run -p figures --example
//! record_blocking` runs the ticker beside a blocking call, on the loop and
//! then on a thread, writes what it measured to
//! `figures/data/timeline-blocking-call.tsv`, and says what it saw. Then
//! `cargo run -p figures` draws the figure from that file.
use figures::measured::{self, Placement};

fn main() -> std::io::Result<()> {
    let started = figures::bench_data::load_average();
    let runs: Vec<_> =
        Placement::BOTH.iter().map(|&p| measured::measure(p)).collect();
    for run in &runs {
        eprintln!(
            "{}: {} ticks, {} during the call, longest gap {:.1} ms",
            run.placement.name(),
            run.ticks.len(),
            run.ticks_during_call(),
            run.longest_gap().0
        );
    }
    let dir = measured::data_dir();
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{}.tsv", measured::NAME));
    std::fs::write(
        &path,
        measured::to_data(&runs, &figures::bench_data::machine(started))
            .to_tsv(),
    )?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
