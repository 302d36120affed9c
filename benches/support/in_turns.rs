//! What the benchmarks with modes share (spawning, executors): each
//! contender's runs in each mode, taken in turns, and what is printed and
//! saved of them.

use std::time::Duration;

/// A contender: its name, and how to time one run of it in a mode.
pub type Contender<M> =
    (&'static str, Box<dyn Fn(M) -> Result<Duration, String>>);

/// One contender's runs in one mode.
pub struct Measurement<M> {
    /// The contender's name.
    pub contender: &'static str,
    /// The mode, and its label in the table.
    pub mode: M,
    label: &'static str,
    times: Vec<Duration>,
    /// Why the contender could not run, if it could not.
    skipped: String,
}

impl<M: Copy> Measurement<M> {
    /// The median run.
    pub fn median(&self) -> Option<Duration> {
        let mut times = self.times.clone();
        times.sort();
        times.get(times.len() / 2).copied()
    }

    /// How many `what` per second (`count` of them a run), or why it was
    /// skipped, for the console.
    pub fn summary(&self, count: u64, what: &str) -> String {
        let (contender, mode) = (self.contender, self.label);
        match self.median() {
            Some(median) if self.skipped.is_empty() => format!(
                "{contender}, {mode}: {:.0} {what}/s",
                count as f64 / median.as_secs_f64()
            ),
            _ => format!("{contender}, {mode}: skipped: {}", self.skipped),
        }
    }

    /// Its line of the data: contender, mode, count, median and runs in
    /// milliseconds, and why it was skipped.
    pub fn cells(&self, count: u64) -> Vec<String> {
        let milliseconds =
            |time: Duration| format!("{:.2}", time.as_secs_f64() * 1e3);
        let runs: Vec<String> =
            self.times.iter().copied().map(milliseconds).collect();
        vec![
            self.contender.to_owned(),
            self.label.to_owned(),
            count.to_string(),
            self.median().map(milliseconds).unwrap_or_default(),
            runs.join(","),
            self.skipped.clone(),
        ]
    }
}

/// Times `runs` runs of every contender in every mode, and gives the
/// measurements, contender by contender. Run by run, every contender in
/// turn: when the machine's other work comes and goes, it slows every
/// contender's runs alike. Each round starts one contender later than the
/// last, so that no contender always runs right after the same other one.
pub fn measure_in_turns<M: Copy>(
    contenders: &[Contender<M>],
    modes: &[(M, &'static str)],
    runs: usize,
) -> Vec<Measurement<M>> {
    let mut measurements: Vec<Measurement<M>> = contenders
        .iter()
        .flat_map(|(name, _)| {
            modes.iter().map(|&(mode, label)| Measurement {
                contender: name,
                mode,
                label,
                times: Vec::new(),
                skipped: String::new(),
            })
        })
        .collect();
    let count = measurements.len();
    for round in 0..runs {
        for turn in 0..count {
            let measurement = &mut measurements[(turn + round * 2) % count];
            let (_, time) = contenders
                .iter()
                .find(|(name, _)| *name == measurement.contender)
                .expect("each measurement's contender");
            if measurement.skipped.is_empty() {
                match time(measurement.mode) {
                    Ok(elapsed) => measurement.times.push(elapsed),
                    Err(reason) => measurement.skipped = reason,
                }
            }
        }
    }
    measurements
}
