//! Records chapter 14's slow step: `cargo run -p figures --example
//! record_slow_step` runs the `debug` example with `-v` in this process,
//! writes its trace and its slow-step warnings to
//! `figures/data/timeline-slow-step.tsv`, and says what it saw. Then
//! `cargo run -p figures` draws the figure from that file.
use figures::slow_step;

fn main() -> std::io::Result<()> {
    let started = figures::bench_data::load_average();
    let recording = slow_step::record();
    if let Err(problem) = slow_step::check(&recording) {
        panic!("not the shape the figure shows: {problem}");
    }
    for step in &recording.slow {
        eprintln!("{} took {:?} in tick {}", step.task, step.took, step.tick);
    }
    let dir = figures::measured::data_dir();
    let machine = figures::bench_data::machine(started);
    let data = slow_step::to_data(&recording, &machine);
    let path = dir.join(format!("{}.tsv", slow_step::NAME));
    std::fs::write(&path, data.to_tsv())?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
