//! The summary of every benchmark (`book/generated/summary.md`) is what the
//! data files render to: a summary edited by hand, or left behind after a
//! benchmark wrote new data, fails here. `cargo run -p figures` refreshes it.

use figures::charts::generated_dir;
use figures::summary::summary_table;

#[test]
fn the_summary_matches_the_data() {
    let dir = generated_dir();
    let committed = std::fs::read_to_string(dir.join("summary.md"))
        .expect("book/generated/summary.md exists: run `cargo run -p figures`");
    let rendered =
        summary_table(&dir).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        committed, rendered,
        "summary.md is stale: run `cargo run -p figures`"
    );
}

#[test]
fn every_aio_contender_of_every_benchmark_has_a_line() {
    let rendered = summary_table(&generated_dir())
        .unwrap_or_else(|error| panic!("{error}"));
    for contender in ["aio protocol |", "aio streams |", "aio stub resolver |"]
    {
        assert!(
            rendered.contains(&format!(", {contender}")),
            "no line for {contender}"
        );
    }
    for benchmark in ["| scheduler: ", "| echo: ", "| idle: ", "| executor: "] {
        assert!(rendered.contains(benchmark), "no lines from {benchmark}");
    }
}
