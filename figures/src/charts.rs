//! The benchmarks' bar charts, drawn from the data files the benchmark
//! programs write to `book/generated/` ([`crate::bench_data`]). One bar per
//! runtime, one group per workload, each bar the runtime's time relative to
//! tokio's: tokio's bar is 1.0 in every group, a shorter bar is faster.

use crate::Figure;
use crate::bench_data::{
    self, DNS_REFERENCE, Data, EXECUTOR_REFERENCE, REFERENCE, Relative,
    SPAWN_REFERENCE, TLS_REFERENCE,
};
use crate::svg::{Anchor, Svg};

/// Every chart, from the committed data.
///
/// # Panics
///
/// If a data file is missing or unreadable: run its benchmark.
pub fn all() -> Vec<Figure> {
    let dir = generated_dir();
    let load =
        |name| Data::load(&dir, name).unwrap_or_else(|error| panic!("{error}"));
    vec![
        Figure::new(
            "bench-scheduler",
            ratio_chart(
                "Scheduler: time per operation ÷ tokio's",
                REFERENCE,
                &bench_data::scheduler_relative(&load("scheduler")),
            ),
        ),
        Figure::new(
            "bench-echo",
            ratio_chart_of(
                "TCP echo: server CPU per request ÷ tokio's",
                REFERENCE,
                &bench_data::echo_relative(&load("echo")),
                "uses less CPU",
            ),
        ),
        Figure::new(
            "bench-echo-tls",
            ratio_chart_of(
                "TLS echo: server CPU per request ÷ tokio-rustls's",
                TLS_REFERENCE,
                &bench_data::echo_tls_relative(&load("echo_tls")),
                "uses less CPU",
            ),
        ),
        Figure::new(
            "bench-echo-flood",
            ratio_chart(
                "Under a flood: probe's wait ÷ tokio's",
                REFERENCE,
                &bench_data::flood_relative(&load("echo_flood")),
            ),
        ),
        Figure::new(
            "bench-idle",
            ratio_chart_of(
                "Idle connections: memory each ÷ tokio's",
                REFERENCE,
                &bench_data::idle_relative(&load("idle")),
                "uses less memory",
            ),
        ),
        Figure::new(
            "bench-dns",
            ratio_chart(
                "Name lookups: time per lookup ÷ tokio's",
                DNS_REFERENCE,
                &bench_data::dns_relative(&load("dns")),
            ),
        ),
        Figure::new(
            "bench-spawn",
            ratio_chart(
                "Spawning true: time per spawn ÷ tokio's",
                SPAWN_REFERENCE,
                &bench_data::spawn_relative(&load("spawn")),
            ),
        ),
        Figure::new(
            "bench-executor",
            ratio_chart(
                "Executor round trips: time per job ÷ tokio's",
                EXECUTOR_REFERENCE,
                &bench_data::executor_relative(&load("executor")),
            ),
        ),
    ]
}

/// The directory the benchmarks write their data and tables to.
pub fn generated_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/generated")
}

/// Narrower than the 480 px a figure may be, so that a phone shrinks it
/// less: its text stays near its 13 px.
const WIDTH: f64 = 400.0;
const MARGIN: f64 = 12.0;
/// Where the bars start: room for the runtimes' names on their left.
const BARS_LEFT: f64 = 176.0;
/// Where the longest bar may end: room for its value on its right.
const BARS_RIGHT: f64 = WIDTH - 40.0;
const BAR_HEIGHT: f64 = 14.0;
const BAR_STEP: f64 = 19.0;
const GROUP_TITLE: f64 = 22.0;
const GROUP_GAP: f64 = 10.0;
const AXIS_TOP: f64 = 66.0;

/// The longest axis: a bar longer than this is cut (and marked so), so
/// that the bars near tokio's 1 stay long enough to compare.
const CUT: f64 = 3.0;

/// Where the axis ends: at the smallest whole number at least as large as
/// every ratio, but at least 2 (so that tokio's 1 sits inside) and at most
/// [`CUT`].
fn axis_end(groups: &[Relative]) -> f64 {
    groups
        .iter()
        .flat_map(|group| group.ratios.iter().map(|(_, ratio)| *ratio))
        .fold(2.0, f64::max)
        .ceil()
        .min(CUT)
}

/// A horizontal bar chart of times relative to `reference`'s: a group of
/// bars per workload, a dashed line at 1 (the reference), each bar labelled
/// with its ratio.
fn ratio_chart(title: &str, reference: &str, groups: &[Relative]) -> String {
    ratio_chart_of(title, reference, groups, "is faster")
}

/// [`ratio_chart`], of a cost other than time: what a shorter bar `shorter`
/// (`"uses less memory"`), as the subtitle and the description say it.
fn ratio_chart_of(
    title: &str,
    reference: &str,
    groups: &[Relative],
    shorter: &str,
) -> String {
    let end = axis_end(groups);
    let x = |ratio: f64| BARS_LEFT + (BARS_RIGHT - BARS_LEFT) * ratio / end;
    let height = groups.iter().fold(AXIS_TOP + 8.0, |height, group| {
        height + GROUP_TITLE + BAR_STEP * group.ratios.len() as f64 + GROUP_GAP
    });
    let mut svg = Svg::new(WIDTH, height);
    svg.text(MARGIN, 22.0, Anchor::Start, "title", title);
    svg.text(
        MARGIN,
        40.0,
        Anchor::Start,
        "",
        &format!("1 = {reference}; a shorter bar {shorter}"),
    );
    let bottom = height - GROUP_GAP;
    for tick in 0..=end as u32 {
        let tick = f64::from(tick);
        let class = if tick == 1.0 { "dashed" } else { "faint" };
        svg.line(x(tick), AXIS_TOP - 4.0, x(tick), bottom, class);
        svg.text(
            x(tick),
            AXIS_TOP - 8.0,
            Anchor::Middle,
            "",
            &format!("{tick}"),
        );
    }
    let mut y = AXIS_TOP + 8.0;
    for group in groups {
        svg.text(MARGIN, y + 15.0, Anchor::Start, "mono", &group.workload);
        y += GROUP_TITLE;
        for (runtime, ratio) in &group.ratios {
            svg.text(BARS_LEFT - 6.0, y + 11.5, Anchor::End, "", runtime);
            let class = bar_class(runtime, reference);
            bar(&mut svg, y, x(ratio.min(end)), *ratio > end, class);
            let label = ratio_label(*ratio);
            svg.text(
                x(ratio.min(end)) + 4.0,
                y + 11.5,
                Anchor::Start,
                "",
                &label,
            );
            y += BAR_STEP;
        }
        y += GROUP_GAP;
    }
    svg.finish(&format!("{title} (1 = {reference}, shorter {shorter})"))
}

/// A bar's ratio, with as many decimals as fit the room right of the
/// longest bar: two, one from 10 on, none from 100 on (Python's round trips
/// through a pool take over a hundred times tokio's).
fn ratio_label(ratio: f64) -> String {
    match ratio {
        ..10.0 => format!("{ratio:.2}"),
        ..100.0 => format!("{ratio:.1}"),
        _ => format!("{ratio:.0}"),
    }
}

/// aio's bars are blue, the reference's yellow, the others grey.
fn bar_class(runtime: &str, reference: &str) -> &'static str {
    if runtime.starts_with("aio") {
        "accent"
    } else if runtime == reference {
        "warm"
    } else {
        "box"
    }
}

/// One bar at height `y`, from the axis to `right`, drawn in `class`. A
/// `cut` bar, longer than the axis, has a gap near its end, as a broken
/// axis has.
fn bar(svg: &mut Svg, y: f64, right: f64, cut: bool, class: &str) {
    if cut {
        svg.rect(BARS_LEFT, y, right - 14.0 - BARS_LEFT, BAR_HEIGHT, class);
        svg.rect(right - 8.0, y, 8.0, BAR_HEIGHT, class);
    } else {
        svg.rect(BARS_LEFT, y, right - BARS_LEFT, BAR_HEIGHT, class);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(ratios: &[f64]) -> Relative {
        Relative {
            workload: "w".to_owned(),
            ratios: ratios
                .iter()
                .enumerate()
                .map(|(n, ratio)| (format!("r{n}"), *ratio))
                .collect(),
        }
    }

    #[test]
    fn the_axis_holds_tokio_and_cuts_only_the_longest_bars() {
        assert_eq!(axis_end(&[group(&[0.4, 1.0])]), 2.0);
        assert_eq!(axis_end(&[group(&[2.49, 1.0])]), 3.0);
        assert_eq!(axis_end(&[group(&[1.0, 6.2])]), CUT);
    }

    #[test]
    fn every_chart_fits_a_phone() {
        for figure in all() {
            let width =
                figure.svg.split(r#"width=""#).nth(1).and_then(|rest| {
                    rest.split('"').next()?.parse::<f64>().ok()
                });
            assert!(width.is_some_and(|w| w <= 480.0), "{}", figure.name);
            assert!(
                !figure.svg.contains(r#"class="small""#),
                "{}",
                figure.name
            );
        }
    }
}
