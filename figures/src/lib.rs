//! The book's figures, drawn by code so that each one has a text source in
//! the repository and can be regenerated exactly.
//!
//! - [`concepts`]: the figures that explain a mechanism (the loop and its
//!   parts, a task in memory, the state machines, the read path, ...).
//! - [`timelines`]: what happened, tick by tick, in a real run of an example
//!   on the virtual clock, recorded by the loop's trace (chapter 1).
//! - [`measured`]: a real run on the real clock, measured once into a
//!   committed data file and drawn from it.
//! - [`slow_step`]: chapter 14's slow step, a real run's trace recorded
//!   once into a committed data file and drawn as a timeline.
//! - [`charts`]: the benchmarks' bar charts, from the data the benchmark
//!   programs write next to their tables ([`bench_data`], which also renders
//!   those tables), and [`summary`], the table of every workload at a
//!   glance.
//!
//! `cargo run -p figures` writes every figure to `book/figures/`; the test
//! `figures/tests/fresh.rs` fails when a committed figure differs from what
//! the code draws now.

pub mod bench_data;
pub mod charts;
pub mod concepts;
pub mod measured;
pub mod slow_step;
pub mod summary;
pub mod svg;
pub mod timelines;

/// One figure: its file name in `book/figures/` (without `.svg`) and its
/// SVG text.
#[derive(Debug)]
pub struct Figure {
    /// The file name, without the `.svg` extension.
    pub name: String,
    /// The whole SVG document.
    pub svg: String,
}

impl Figure {
    /// A figure named `name` with the document `svg`.
    pub fn new(name: impl Into<String>, svg: String) -> Figure {
        Figure { name: name.into(), svg }
    }
}

/// The directory the book's figures live in.
pub fn figures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/figures")
}

/// Every figure in the book, drawn now.
pub fn all() -> Vec<Figure> {
    let mut figures = concepts::all();
    figures.extend(timelines::all());
    figures.extend(measured::all());
    figures.extend(slow_step::all());
    figures.extend(charts::all());
    figures
}
