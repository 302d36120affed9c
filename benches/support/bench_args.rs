//! What the benchmarks share around their measurements: the arguments they
//! take (`--quick`: one run of each contender instead of five; `--only
//! TEXT`: only the contenders whose names contain TEXT, for profiling, and
//! the data file is not written then), uvloop, which a Python contender
//! needs installed, and reading the time a Python contender measured.

use std::io;
use std::process::{Command, Output};
use std::time::Duration;

/// A benchmark's command line.
pub struct BenchArgs {
    /// `--quick`: one run of each contender.
    pub quick: bool,
    /// `--only TEXT`: the text a contender's name must contain.
    pub only: Option<String>,
}

impl BenchArgs {
    /// The arguments this process was started with.
    pub fn from_env() -> BenchArgs {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let quick = args.iter().any(|arg| arg == "--quick");
        let only = args
            .iter()
            .position(|arg| arg == "--only")
            .and_then(|at| args.get(at + 1).cloned());
        BenchArgs { quick, only }
    }

    /// How many runs of each contender to take the median of.
    pub fn runs(&self) -> usize {
        if self.quick { 1 } else { 5 }
    }

    /// The command that makes this run, for the data file: `cargo bench
    /// --bench NAME`, with ` -- --quick` for a quick run.
    pub fn command(&self, bench: &str) -> String {
        let quick = if self.quick { " -- --quick" } else { "" };
        format!("cargo bench --bench {bench}{quick}")
    }

    /// Whether the contender `name` is to be measured.
    pub fn includes(&self, name: &str) -> bool {
        self.only.as_ref().is_none_or(|text| name.contains(text.as_str()))
    }
}

/// Makes sure uvloop can be imported, installing it with pip if it is
/// missing.
pub fn ensure_uvloop() -> Result<(), String> {
    let importable = || {
        Command::new("python3")
            .args(["-c", "import uvloop"])
            .status()
            .is_ok_and(|status| status.success())
    };
    if importable() {
        return Ok(());
    }
    let _ = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "uvloop"])
        .status();
    if importable() {
        Ok(())
    } else {
        Err("uvloop is not installed and `pip install uvloop` failed"
            .to_owned())
    }
}

/// The time a Python contender measured in its own interpreter: the seconds
/// it printed as its only output, or why there are none.
pub fn python_seconds(output: io::Result<Output>) -> Result<Duration, String> {
    let output =
        output.map_err(|error| format!("python3 could not start: {error}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or("no message").to_owned();
        return Err(format!("python3 failed: {last}"));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let seconds: f64 =
        text.trim().parse().map_err(|_| format!("python3 printed {text:?}"))?;
    Ok(Duration::from_secs_f64(seconds))
}
