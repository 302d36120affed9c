//! The concept figures: each explains one mechanism of the runtime, drawn
//! from a small file of its own that says what the figure shows. The shared
//! layouts (a flow of steps, a timeline, a table of ticks, a sequence of
//! threads) are in [`layout`]. Every text is checked against the canvas:
//! drawing a figure whose text would run off it fails.

pub mod layout;

mod cancel_race;
mod control;
mod cross_thread_wake;
mod executor_pool;
mod executor_states;
mod loop_parts;
mod museum;
mod promise_states;
mod read_path;
mod signals;
mod streams;
mod subprocess;
mod task_in_memory;
mod task_states;
mod threadsafe;
mod tick;
mod tls;
mod water_marks;

use crate::Figure;
use crate::svg::Svg;

/// Finishes `svg` as the figure `name`, with `title` as its accessible name.
/// A text that runs off the canvas is noted, for [`all`] to report.
fn figure(name: &str, title: &str, svg: Svg) -> Figure {
    if svg.width() > layout::WIDTH {
        layout::misfit(format!("{name} is wider than {} px", layout::WIDTH));
    }
    for text in svg.overflowing() {
        layout::misfit(format!("{text:?} runs off the canvas"));
    }
    layout::report_misfits(name);
    Figure::new(name, svg.finish(title))
}

/// Every figure of this kind.
pub fn all() -> Vec<Figure> {
    let mut figures = vec![
        loop_parts::figure(),
        tick::figure(),
        task_in_memory::figure(),
        cross_thread_wake::figure(),
        promise_states::figure(),
        task_states::figure(),
        read_path::figure(),
        water_marks::chart(),
        water_marks::write_path(),
        streams::layers(),
        streams::readline_path(),
        tls::layers(),
        subprocess::pipes(),
        subprocess::exit_three_ways(),
        signals::signal_path(),
        signals::ctrl_c(),
        executor_pool::thread_pool(),
        executor_pool::process_pool(),
        executor_states::figure(),
        threadsafe::figure(),
    ];
    figures.extend(cancel_race::figure());
    figures.extend(control::all());
    figures.extend(museum::all());
    let problems = layout::take_reported();
    assert!(
        problems.is_empty(),
        "texts too wide for their boxes or the canvas (fix the layout):\n{}",
        problems.join("\n")
    );
    figures
}
