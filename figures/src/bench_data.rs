//! The benchmarks' measurements as data, and the markdown tables the book
//! shows, rendered from that data.
//!
//! Each benchmark program writes two files to `book/generated/`: `NAME.tsv`,
//! the raw measurements, and `NAME.md`, the table rendered from them here.
//! The `figures` crate reads the same `.tsv` files to draw the charts
//! ([`crate::charts`]) and to check that every committed table is what its
//! data renders to. The benchmarks are targets of the root `aio` package,
//! which cannot depend on `figures` (`figures` depends on `aio`), so they
//! include this file with `#[path]`: it uses only `std`.
//!
//! One convention for every ratio: a runtime's **time** relative to tokio's
//! (`current_thread`), so tokio is 1.0, below 1 is faster than tokio and
//! above 1 slower. For throughput, the time is the time per request.

use std::fmt::Write;
use std::path::Path;

/// The runtime every ratio is measured against.
pub const REFERENCE: &str = "tokio current_thread";

/// The server the TLS echo's ratios are measured against: tokio's, with
/// tokio-rustls.
pub const TLS_REFERENCE: &str = "tokio + tokio-rustls";

/// The convention, in words, for table notes.
pub const CONVENTION: &str =
    "1 is tokio, below 1 is faster than tokio, above 1 slower";

/// A data file: a few `# key<TAB>value` lines saying how the numbers were
/// made, a header line naming the columns, then one line per measurement,
/// fields separated by tabs.
#[derive(Clone, Debug, PartialEq)]
pub struct Data {
    meta: Vec<(String, String)>,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// One line of a [`Data`] file, read by column name.
#[derive(Clone, Copy, Debug)]
pub struct Row<'a> {
    columns: &'a [String],
    cells: &'a [String],
}

impl<'a> Row<'a> {
    /// The cell in `column`; empty if the data has no such column.
    pub fn get(self, column: &str) -> &'a str {
        self.columns
            .iter()
            .position(|name| name == column)
            .map_or("", |at| self.cells[at].as_str())
    }

    /// The cell in `column` as a number.
    ///
    /// # Panics
    ///
    /// If the cell is not a number: the data file was edited by hand or
    /// written by an older benchmark; run the benchmark again.
    pub fn number(self, column: &str) -> f64 {
        let cell = self.get(column);
        cell.parse().unwrap_or_else(|_| {
            panic!(
                "benchmark data: `{column}` is {cell:?}, not a number; \
                 rerun the benchmark to rewrite its data file"
            )
        })
    }
}

impl Data {
    /// An empty data file with these columns.
    pub fn new(columns: &[&str]) -> Data {
        Data {
            meta: Vec::new(),
            columns: columns.iter().map(|&c| c.to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Records how the numbers were made, under `key`.
    pub fn set_meta(&mut self, key: &str, value: &str) {
        self.meta.push((key.to_owned(), value.to_owned()));
    }

    /// The value recorded under `key`, or an empty string.
    pub fn meta(&self, key: &str) -> &str {
        self.meta
            .iter()
            .find(|(name, _)| name == key)
            .map_or("", |(_, value)| value.as_str())
    }

    /// Adds one measurement, a cell per column.
    ///
    /// # Panics
    ///
    /// If the number of cells is not the number of columns, or a cell holds
    /// a tab or a line break.
    pub fn push(&mut self, cells: Vec<String>) {
        assert_eq!(cells.len(), self.columns.len(), "one cell per column");
        assert!(
            cells.iter().all(|cell| !cell.contains(['\t', '\n'])),
            "cells hold no tabs or line breaks: {cells:?}"
        );
        self.rows.push(cells);
    }

    /// The measurements, in the order they were made.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|cells| Row { columns: &self.columns, cells })
    }

    /// The file's text.
    pub fn to_tsv(&self) -> String {
        let mut text = String::new();
        for (key, value) in &self.meta {
            let _ = writeln!(text, "# {key}\t{value}");
        }
        let _ = writeln!(text, "{}", self.columns.join("\t"));
        for cells in &self.rows {
            let _ = writeln!(text, "{}", cells.join("\t"));
        }
        text
    }

    /// Reads a file written by [`Data::to_tsv`].
    pub fn parse(text: &str) -> Result<Data, String> {
        let mut lines = text.lines();
        let mut meta = Vec::new();
        let header = loop {
            let line = lines.next().ok_or("the data file has no header")?;
            match line.strip_prefix("# ") {
                Some(entry) => {
                    let (key, value) =
                        entry.split_once('\t').unwrap_or((entry, ""));
                    meta.push((key.to_owned(), value.to_owned()));
                }
                None => break line,
            }
        };
        let columns: Vec<String> =
            header.split('\t').map(str::to_owned).collect();
        let mut rows = Vec::new();
        for (number, line) in lines.enumerate() {
            let cells: Vec<String> =
                line.split('\t').map(str::to_owned).collect();
            if cells.len() != columns.len() {
                return Err(format!(
                    "data line {} has {} fields, the header {}",
                    number + 1,
                    cells.len(),
                    columns.len()
                ));
            }
            rows.push(cells);
        }
        Ok(Data { meta, columns, rows })
    }

    /// Reads `NAME.tsv` from `dir`.
    pub fn load(dir: &Path, name: &str) -> Result<Data, String> {
        let path = dir.join(format!("{name}.tsv"));
        let text = std::fs::read_to_string(&path).map_err(|error| {
            format!("{}: {error}; run its benchmark", path.display())
        })?;
        Data::parse(&text)
            .map_err(|error| format!("{}: {error}", path.display()))
    }

    /// Writes `NAME.tsv` and its table, `NAME.md`, to `dir`.
    ///
    /// # Errors
    ///
    /// If a file cannot be written.
    pub fn save(&self, dir: &Path, name: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join(format!("{name}.tsv")), self.to_tsv())?;
        std::fs::write(dir.join(format!("{name}.md")), table(name, self))
    }
}

/// A function rendering a data file's table.
pub type Render = fn(&Data) -> String;

/// The benchmark data files, by name, each with the function rendering its
/// table.
pub const TABLES: [(&str, Render); 8] = [
    ("scheduler", scheduler_table),
    ("echo", echo_table),
    ("echo_flood", flood_table),
    ("echo_tls", echo_tls_table),
    ("dns", dns_table),
    ("spawn", spawn_table),
    ("executor", executor_table),
    ("idle", idle_table),
];

/// The table of the data file `name`.
///
/// # Panics
///
/// If `name` is not one of [`TABLES`].
pub fn table(name: &str, data: &Data) -> String {
    let (_, render) = TABLES
        .iter()
        .find(|(table, _)| *table == name)
        .unwrap_or_else(|| panic!("no table is named {name:?}"));
    render(data)
}

/// Renders every table in `dir` again from its data file, and returns the
/// names of the tables that changed: after a change to how tables look,
/// `cargo run -p figures` brings them up to date without measuring again.
///
/// # Errors
///
/// If a data file is missing or unreadable, or a table cannot be written.
pub fn refresh_tables(dir: &Path) -> Result<Vec<String>, String> {
    let mut changed = Vec::new();
    for (name, render) in TABLES {
        let table = render(&Data::load(dir, name)?);
        let path = dir.join(format!("{name}.md"));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(&table) {
            std::fs::write(&path, table)
                .map_err(|error| format!("{}: {error}", path.display()))?;
            changed.push(name.to_owned());
        }
    }
    Ok(changed)
}

/// The one-minute load average (on Linux): how many programs wanted the
/// cores, on average, over the last minute.
pub fn load_average() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split(' ').next()?.parse().ok()
}

/// The machine the benchmark ran on, for a table's note: its cores, and how
/// busy it was when the run started (`started`, from [`load_average`]) and
/// now, as it ends.
pub fn machine(started: Option<f64>) -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    match (started, load_average()) {
        (Some(started), Some(ended)) => format!(
            "a {cores}-core machine{} (load average {started:.2} when the run \
             started, {ended:.2} when it ended)",
            if started.max(ended) >= 0.5 {
                " shared with other work"
            } else {
                ""
            }
        ),
        _ => format!("a {cores}-core machine"),
    }
}

/// One workload's bars: each runtime's time relative to [`REFERENCE`]'s,
/// in the order the runtimes were measured (the reference itself is 1.0).
#[derive(Clone, Debug, PartialEq)]
pub struct Relative {
    /// The workload.
    pub workload: String,
    /// Each runtime, with its time relative to the reference's.
    pub ratios: Vec<(String, f64)>,
}

/// Groups `(workload, runtime, time)` triples by workload, in order of first
/// appearance, and divides each time by the [`REFERENCE`] runtime's.
fn relative(times: Vec<(String, String, f64)>) -> Vec<Relative> {
    relative_to(REFERENCE, times)
}

/// [`relative`], against `reference`.
fn relative_to(
    reference: &str,
    times: Vec<(String, String, f64)>,
) -> Vec<Relative> {
    let mut groups: Vec<(String, Vec<(String, f64)>)> = Vec::new();
    for (workload, runtime, time) in times {
        match groups.iter_mut().find(|(name, _)| *name == workload) {
            Some((_, runtimes)) => runtimes.push((runtime, time)),
            None => groups.push((workload, vec![(runtime, time)])),
        }
    }
    groups
        .into_iter()
        .filter_map(|(workload, runtimes)| {
            let reference =
                runtimes.iter().find(|(runtime, _)| runtime == reference)?.1;
            let ratios = runtimes
                .into_iter()
                .map(|(runtime, time)| (runtime, time / reference))
                .collect();
            Some(Relative { workload, ratios })
        })
        .collect()
}

// ---------------------------------------------------------------- scheduler

/// The scheduler benchmark's columns: one line per workload and runtime,
/// with the median and every timed run, in nanoseconds.
pub const SCHEDULER_COLUMNS: [&str; 5] =
    ["workload", "operations", "runtime", "median_ns", "runs_ns"];

/// A scheduler workload's time per operation, in nanoseconds.
fn nanos_per_operation(row: Row<'_>) -> f64 {
    row.number("median_ns") / row.number("operations")
}

/// The scheduler benchmark's ratios to tokio, workload by workload.
pub fn scheduler_relative(data: &Data) -> Vec<Relative> {
    relative(
        data.rows()
            .map(|row| {
                let workload = row.get("workload").to_owned();
                (
                    workload,
                    row.get("runtime").to_owned(),
                    nanos_per_operation(row),
                )
            })
            .collect(),
    )
}

/// The scheduler benchmark's table: nanoseconds per operation for each
/// runtime, then each other runtime's time relative to tokio's.
pub fn scheduler_table(data: &Data) -> String {
    let runtimes = distinct(data.rows().map(|row| row.get("runtime")));
    let others: Vec<&str> =
        runtimes.iter().copied().filter(|&r| r != REFERENCE).collect();
    let mut text = format!(
        "{} Each time is nanoseconds per operation: the workload's median \
         time divided by its operations (in brackets). Each ratio is the \
         time relative to tokio's: {}. \
         Generated by `{}`, from its data file `book/generated/scheduler.tsv`.\n\n",
        data.meta("note"),
        CONVENTION,
        data.meta("command"),
    );
    let mut header = vec!["workload".to_owned()];
    header.extend(runtimes.iter().map(|r| format!("{r}, ns/op")));
    // The first word names the runtime well enough: `smol time ÷ tokio's`.
    let first_word = |r: &str| r.split(' ').next().unwrap_or(r).to_owned();
    header.extend(
        others.iter().map(|r| format!("{} time ÷ tokio's", first_word(r))),
    );
    push_header(&mut text, &header);
    for group in scheduler_relative(data) {
        let mut cells = vec![group.workload.clone()];
        for runtime in &runtimes {
            let row = data.rows().find(|row| {
                row.get("workload") == group.workload
                    && row.get("runtime") == *runtime
            });
            cells.push(row.map_or("–".to_owned(), |row| {
                format!("{:.0}", nanos_per_operation(row))
            }));
        }
        for runtime in &others {
            cells.push(ratio_cell(&group, runtime));
        }
        push_row(&mut text, &cells);
    }
    text
}

// ---------------------------------------------------------------- echo

/// The echo benchmark's columns: one line per server and message size, with
/// the medians of its `rounds`: requests per second; the server's CPU time
/// per request, in microseconds; the share of the window the server and the
/// load generator were each on a CPU (1 is a whole core); the server's
/// instructions per request, empty where the machine cannot count them.
/// Then every round's requests per second and CPU time per request, comma
/// separated. A server that could not start has one line, with the reason
/// in `skipped`.
pub const ECHO_COLUMNS: [&str; 11] = [
    "server",
    "message_bytes",
    "rounds",
    "requests_per_second",
    "server_cpu_us_per_request",
    "server_cpu_share",
    "generator_busy",
    "instructions_per_request",
    "requests_per_second_runs",
    "server_cpu_us_per_request_runs",
    "skipped",
];

/// Above this share of a measurement's window on a CPU, the load generator
/// was the bottleneck: its requests per second say more about the generator
/// than about the server, and the echo tables mark them.
pub const GENERATOR_BOUND: f64 = 0.8;

/// The mark of a generator-bound measurement in the echo tables.
const GENERATOR_BOUND_MARK: &str = "†";

/// `1024` -> `1 KiB`.
fn kib(bytes: &str) -> String {
    match bytes.parse::<u64>() {
        Ok(bytes) if bytes % 1024 == 0 => format!("{} KiB", bytes / 1024),
        _ => format!("{bytes} B"),
    }
}

/// What an echo table's ratios are measured against, and how its text says
/// so.
struct Baseline {
    /// The reference server's name in the data.
    server: &'static str,
    /// The ratio convention, in words.
    convention: &'static str,
    /// Whose time each ratio divides by, as the column header says it.
    whose: &'static str,
    /// The data file's name.
    file: &'static str,
}

const PLAIN: Baseline = Baseline {
    server: REFERENCE,
    convention: "1 is tokio, below 1 takes less CPU per request than tokio, \
                 above 1 more",
    whose: "tokio's",
    file: "echo",
};

const TLS: Baseline = Baseline {
    server: TLS_REFERENCE,
    convention: "1 is tokio with tokio-rustls, below 1 takes less CPU per \
                 request than it, above 1 more",
    whose: "tokio-rustls's",
    file: "echo_tls",
};

/// The echo benchmark's ratios to tokio, message size by message size: each
/// server's CPU time per request relative to tokio's.
pub fn echo_relative(data: &Data) -> Vec<Relative> {
    echo_relative_to(&PLAIN, data)
}

/// The TLS echo's ratios to tokio with tokio-rustls, size by size.
pub fn echo_tls_relative(data: &Data) -> Vec<Relative> {
    echo_relative_to(&TLS, data)
}

fn echo_relative_to(baseline: &Baseline, data: &Data) -> Vec<Relative> {
    relative_to(
        baseline.server,
        data.rows()
            .filter(|row| row.get("skipped").is_empty())
            .map(|row| {
                (
                    format!("{} messages", kib(row.get("message_bytes"))),
                    row.get("server").to_owned(),
                    row.number("server_cpu_us_per_request"),
                )
            })
            .collect(),
    )
}

/// The echo benchmark's table: requests per second at each message size
/// (marked where the generator was the bottleneck), each server's CPU time
/// per request relative to tokio's, that CPU time itself, and how busy the
/// server and the load generator were.
pub fn echo_table(data: &Data) -> String {
    echo_table_against(&PLAIN, data)
}

/// The TLS echo's table, as [`echo_table`]'s, relative to tokio with
/// tokio-rustls.
pub fn echo_tls_table(data: &Data) -> String {
    echo_table_against(&TLS, data)
}

/// Whether a measurement's generator was the bottleneck.
fn generator_bound(row: Row<'_>) -> bool {
    row.number("generator_busy") > GENERATOR_BOUND
}

fn echo_table_against(baseline: &Baseline, data: &Data) -> String {
    let measured = || data.rows().filter(|row| row.get("skipped").is_empty());
    let sizes = distinct(measured().map(|row| row.get("message_bytes")));
    let size_names: Vec<String> = sizes.iter().map(|size| kib(size)).collect();
    let per_size = size_names.join(" / ");
    let mut text = format!(
        "{} A server's CPU time per request is the CPU time it spent in the \
         measurement window (an in-process server's thread's, from \
         `/proc/self/task/TID/schedstat`; a Python server's, its process's \
         threads') divided by the requests it echoed. Each ratio is that CPU \
         time per request relative to {}: {}. Requests per second marked \
         {GENERATOR_BOUND_MARK} were measured with the load generator on a \
         CPU more than {:.0}% of the window: the generator, not the server, \
         set their pace. A cell of three numbers gives them for {}, in \
         that order. Generated by `{}`, from its data file \
         `book/generated/{}.tsv`.\n\n",
        data.meta("note"),
        baseline.whose,
        baseline.convention,
        GENERATOR_BOUND * 100.0,
        per_size,
        data.meta("command"),
        baseline.file,
    );
    let counted =
        measured().any(|r| !r.get("instructions_per_request").is_empty());
    let mut header = vec!["server".to_owned()];
    header.extend(size_names.iter().map(|size| format!("{size}, req/s")));
    header.push(format!("CPU per request ÷ {} ({per_size})", baseline.whose));
    header.push("server CPU, µs/request".to_owned());
    header.push("server on CPU, %".to_owned());
    header.push("generator on CPU, %".to_owned());
    if counted {
        header.push("instructions/request".to_owned());
    }
    push_header(&mut text, &header);
    let groups = echo_relative_to(baseline, data);
    let lines = Lines {
        named_by: "server",
        across: ("message_bytes", &sizes),
        groups: &groups,
        width: header.len(),
    };
    lines.push(
        &mut text,
        data,
        |row| {
            let mark = if generator_bound(row) {
                format!(" {GENERATOR_BOUND_MARK}")
            } else {
                String::new()
            };
            format!("{:.0}{mark}", row.number("requests_per_second"))
        },
        |rows| {
            let each = |cell: &dyn Fn(Row<'_>) -> String| {
                let cells: Vec<String> =
                    rows.iter().map(|r| cell(*r)).collect();
                cells.join(" / ")
            };
            let percent = |column| {
                move |row: Row<'_>| format!("{:.0}", row.number(column) * 100.0)
            };
            let mut cells = vec![
                each(&|row| {
                    format!("{:.1}", row.number("server_cpu_us_per_request"))
                }),
                each(&percent("server_cpu_share")),
                each(&percent("generator_busy")),
            ];
            if counted {
                cells.push(each(
                    &|row| match row.get("instructions_per_request") {
                        "" => "–".to_owned(),
                        count => count.to_owned(),
                    },
                ));
            }
            cells
        },
    );
    text
}

/// How a benchmark table's lines are made: one per value of the column
/// `named_by`, with a cell per value of `across`, then its ratios to the
/// reference, one per group.
struct Lines<'a> {
    named_by: &'a str,
    across: (&'a str, &'a [&'a str]),
    groups: &'a [Relative],
    width: usize,
}

impl Lines<'_> {
    /// Pushes every line: its name, `cell` of each of its rows across, its
    /// ratios, then `more` of its rows; or the reason it was skipped.
    fn push(
        &self,
        text: &mut String,
        data: &Data,
        cell: impl Fn(Row<'_>) -> String,
        more: impl Fn(&[Row<'_>]) -> Vec<String>,
    ) {
        let (column, values) = self.across;
        for name in distinct(data.rows().map(|row| row.get(self.named_by))) {
            let rows: Vec<Row<'_>> = data
                .rows()
                .filter(|row| row.get(self.named_by) == name)
                .collect();
            let mut line = vec![name.to_owned()];
            if let Some(skipped) =
                rows.iter().find(|row| !row.get("skipped").is_empty())
            {
                line.push(format!("skipped: {}", skipped.get("skipped")));
                line.resize(self.width, String::new());
                push_row(text, &line);
                continue;
            }
            for value in values {
                let row = rows.iter().find(|row| row.get(column) == *value);
                line.push(row.map_or("–".to_owned(), |row| cell(*row)));
            }
            let ratios: Vec<String> = self
                .groups
                .iter()
                .map(|group| ratio_cell(group, name))
                .collect();
            line.push(ratios.join(" / "));
            line.extend(more(&rows));
            push_row(text, &line);
        }
    }
}

// ---------------------------------------------------------------- runs of
// operations

/// A benchmark that times a number of operations per run, in a few modes
/// (one at a time, many at once), as the DNS and spawn benchmarks do: its
/// data's columns, its reference, and how its table says so.
struct Operations {
    /// The column naming each contender.
    named_by: &'static str,
    /// The column with the number of operations per run, named by their
    /// plural (`lookups`).
    count: &'static str,
    /// One operation, as the text says it (`lookup`).
    operation: &'static str,
    /// The reference contender's name in the data.
    reference: &'static str,
    /// The reference, as the text says it.
    whose: &'static str,
    /// The data file's name.
    file: &'static str,
}

impl Operations {
    /// The ratios to the reference, mode by mode: the median time of a run
    /// divided by its operations.
    fn relative(&self, data: &Data) -> Vec<Relative> {
        relative_to(
            self.reference,
            data.rows()
                .filter(|row| row.get("skipped").is_empty())
                .map(|row| {
                    (
                        row.get("mode").to_owned(),
                        row.get(self.named_by).to_owned(),
                        row.number("median_ms") / row.number(self.count),
                    )
                })
                .collect(),
        )
    }

    /// The table: operations per second in each mode, and each
    /// contender's time per operation relative to the reference's.
    fn table(&self, data: &Data) -> String {
        let modes = distinct(data.rows().map(|row| row.get("mode")));
        let mut text = format!(
            "{} Each ratio is the time per {} relative to {}: 1 is tokio, \
             below 1 is faster than it, above 1 slower. Generated by `{}`, \
             from its data file `book/generated/{}.tsv`.\n\n",
            data.meta("note"),
            self.operation,
            self.whose,
            data.meta("command"),
            self.file,
        );
        let mut header = vec![self.named_by.to_owned()];
        header.extend(
            modes.iter().map(|mode| format!("{mode}, {}/s", self.count)),
        );
        header.push(format!(
            "time per {} ÷ tokio's ({})",
            self.operation,
            modes.join(" / ")
        ));
        push_header(&mut text, &header);
        let groups = self.relative(data);
        let lines = Lines {
            named_by: self.named_by,
            across: ("mode", &modes),
            groups: &groups,
            width: header.len(),
        };
        lines.push(
            &mut text,
            data,
            |row| {
                let seconds = row.number("median_ms") / 1e3;
                format!("{:.0}", row.number(self.count) / seconds)
            },
            |_| Vec::new(),
        );
        text
    }
}

// ---------------------------------------------------------------- dns

/// The DNS benchmark's reference: tokio's `lookup_host`.
pub const DNS_REFERENCE: &str = "tokio lookup_host";

/// The DNS benchmark's columns: one line per resolver and mode, with the
/// median and every run, in milliseconds for all the lookups of a run.
pub const DNS_COLUMNS: [&str; 6] =
    ["resolver", "mode", "lookups", "median_ms", "runs_ms", "skipped"];

const DNS: Operations = Operations {
    named_by: "resolver",
    count: "lookups",
    operation: "lookup",
    reference: DNS_REFERENCE,
    whose: "tokio's `lookup_host`",
    file: "dns",
};

/// The DNS benchmark's ratios to tokio's `lookup_host`, mode by mode.
pub fn dns_relative(data: &Data) -> Vec<Relative> {
    DNS.relative(data)
}

/// The DNS benchmark's table: lookups per second, one at a time and all at
/// once, and each resolver's time per lookup relative to tokio's.
pub fn dns_table(data: &Data) -> String {
    DNS.table(data)
}

// ---------------------------------------------------------------- spawn

/// The spawn benchmark's reference: tokio's `process::Command`.
pub const SPAWN_REFERENCE: &str = "tokio::process";

/// The spawn benchmark's columns: one line per spawner and mode, with the
/// median and every run, in milliseconds for all the spawns of a run.
pub const SPAWN_COLUMNS: [&str; 6] =
    ["spawner", "mode", "spawns", "median_ms", "runs_ms", "skipped"];

const SPAWN: Operations = Operations {
    named_by: "spawner",
    count: "spawns",
    operation: "spawn",
    reference: SPAWN_REFERENCE,
    whose: "`tokio::process`'s",
    file: "spawn",
};

/// The spawn benchmark's ratios to `tokio::process`, mode by mode.
pub fn spawn_relative(data: &Data) -> Vec<Relative> {
    SPAWN.relative(data)
}

/// The spawn benchmark's table: spawns per second, one at a time and many
/// at once, and each spawner's time per spawn relative to tokio's.
pub fn spawn_table(data: &Data) -> String {
    SPAWN.table(data)
}

// ---------------------------------------------------------------- executor

/// The executor benchmark's reference: tokio's `spawn_blocking`.
pub const EXECUTOR_REFERENCE: &str = "tokio spawn_blocking";

/// The executor benchmark's columns: one line per executor and mode, with
/// the median and every run, in milliseconds for all the jobs of a run.
pub const EXECUTOR_COLUMNS: [&str; 6] =
    ["executor", "mode", "jobs", "median_ms", "runs_ms", "skipped"];

const EXECUTOR: Operations = Operations {
    named_by: "executor",
    count: "jobs",
    operation: "job",
    reference: EXECUTOR_REFERENCE,
    whose: "tokio's `spawn_blocking`",
    file: "executor",
};

/// The executor benchmark's ratios to tokio's `spawn_blocking`, mode by
/// mode.
pub fn executor_relative(data: &Data) -> Vec<Relative> {
    EXECUTOR.relative(data)
}

/// The executor benchmark's table: jobs per second, one at a time and all
/// at once, and each executor's time per job relative to tokio's.
pub fn executor_table(data: &Data) -> String {
    EXECUTOR.table(data)
}

// ---------------------------------------------------------------- flood

/// The flood benchmark's columns: one line per server, the probe's round
/// trips in nanoseconds. `starved` is `yes` if the probe's last round trip
/// got no answer in time; `server_cpu_ms_per_mib` is the server's CPU time,
/// in milliseconds, per MiB the flood got back; `skipped` says why a server
/// did not run.
pub const FLOOD_COLUMNS: [&str; 10] = [
    "server",
    "probe_round_trips",
    "p50_ns",
    "p99_ns",
    "slowest_ns",
    "starved",
    "gave_up_after_ns",
    "flood_bytes_per_second",
    "server_cpu_ms_per_mib",
    "skipped",
];

/// The flood benchmark's ratios to tokio: the probe's median and 99th
/// percentile round trips, each relative to tokio's.
pub fn flood_relative(data: &Data) -> Vec<Relative> {
    let measured: Vec<Row<'_>> = data
        .rows()
        .filter(|row| {
            row.get("skipped").is_empty()
                && row.number("probe_round_trips") > 0.0
        })
        .collect();
    let mut times = Vec::new();
    for (column, workload) in
        [("p50_ns", "median round trip"), ("p99_ns", "p99 round trip")]
    {
        times.extend(measured.iter().map(|row| {
            (
                workload.to_owned(),
                row.get("server").to_owned(),
                row.number(column),
            )
        }));
    }
    relative(times)
}

/// Nanoseconds as milliseconds, two decimals.
fn millis(nanos: f64) -> String {
    format!("{:.2}", nanos / 1e6)
}

/// The flood benchmark's table: how long the probe waited, while a flood
/// ran on another connection.
pub fn flood_table(data: &Data) -> String {
    let mut text = format!(
        "{} Generated by `{}`, from its data file \
         `book/generated/echo_flood.tsv`.\n\n",
        data.meta("note"),
        data.meta("command"),
    );
    let header = [
        "server",
        "probe round trips",
        "p50, ms",
        "p99, ms",
        "slowest, ms",
        "flood echoed, MiB/s",
        "server CPU, ms per MiB echoed",
    ]
    .map(str::to_owned);
    push_header(&mut text, &header);
    for row in data.rows() {
        let mut cells = vec![row.get("server").to_owned()];
        if !row.get("skipped").is_empty() {
            cells.push(format!("skipped: {}", row.get("skipped")));
            cells.resize(header.len(), String::new());
        } else {
            let none = row.number("probe_round_trips") == 0.0;
            let at = |column| {
                if none { "–".to_owned() } else { millis(row.number(column)) }
            };
            let slowest = if row.get("starved") == "yes" {
                format!(
                    "over {:.0} (no answer)",
                    row.number("gave_up_after_ns") / 1e6
                )
            } else {
                at("slowest_ns")
            };
            cells.extend([
                row.get("probe_round_trips").to_owned(),
                at("p50_ns"),
                at("p99_ns"),
                slowest,
                format!(
                    "{:.0}",
                    row.number("flood_bytes_per_second") / (1024.0 * 1024.0)
                ),
                format!("{:.2}", row.number("server_cpu_ms_per_mib")),
            ]);
        }
        push_row(&mut text, &cells);
    }
    text
}

// ---------------------------------------------------------------- idle
// connections

/// The idle-connections benchmark's columns: one line per server, its
/// resident memory in KiB before any connection and with `connections`
/// open, each of which has echoed one message of `message_bytes`.
pub const IDLE_COLUMNS: [&str; 6] = [
    "server",
    "connections",
    "message_bytes",
    "rss_before_kib",
    "rss_after_kib",
    "skipped",
];

/// The memory an idle connection costs a server, in KiB: how much its
/// resident memory grew, divided by the connections.
fn kib_per_connection(row: Row<'_>) -> f64 {
    (row.number("rss_after_kib") - row.number("rss_before_kib"))
        / row.number("connections")
}

/// The idle benchmark's ratios to tokio: each server's memory per idle
/// connection relative to tokio's, in one group.
pub fn idle_relative(data: &Data) -> Vec<Relative> {
    relative(
        data.rows()
            .filter(|row| row.get("skipped").is_empty())
            .map(|row| {
                (
                    format!("{} idle connections", row.get("connections")),
                    row.get("server").to_owned(),
                    kib_per_connection(row),
                )
            })
            .collect(),
    )
}

/// The idle benchmark's table: each server's resident memory before and
/// with its idle connections, what each connection added, and that
/// relative to tokio's.
pub fn idle_table(data: &Data) -> String {
    let mut text = format!(
        "{} The memory a connection costs is the growth of the server's \
         resident memory divided by its connections; each ratio is that \
         memory relative to tokio's: 1 is tokio, below 1 is less memory than \
         tokio, above 1 more. The kernel's socket buffers are not in it: \
         they are the kernel's memory, not the server's. Generated by `{}`, \
         from its data file `book/generated/idle.tsv`.\n\n",
        data.meta("note"),
        data.meta("command"),
    );
    let header = [
        "server",
        "at start, MiB",
        "with the connections, MiB",
        "added, MiB",
        "per connection, KiB",
        "memory per connection ÷ tokio's",
    ]
    .map(str::to_owned);
    push_header(&mut text, &header);
    let groups = idle_relative(data);
    let mib =
        |row: Row<'_>, column| format!("{:.1}", row.number(column) / 1024.0);
    for row in data.rows() {
        let server = row.get("server");
        let mut cells = vec![server.to_owned()];
        if !row.get("skipped").is_empty() {
            cells.push(format!("skipped: {}", row.get("skipped")));
            cells.resize(header.len(), String::new());
        } else {
            cells.extend([
                mib(row, "rss_before_kib"),
                mib(row, "rss_after_kib"),
                format!(
                    "{:.1}",
                    (row.number("rss_after_kib")
                        - row.number("rss_before_kib"))
                        / 1024.0
                ),
                format!("{:.2}", kib_per_connection(row)),
                groups
                    .first()
                    .map_or("–".to_owned(), |g| ratio_cell(g, server)),
            ]);
        }
        push_row(&mut text, &cells);
    }
    text
}

// ---------------------------------------------------------------- markdown

/// The distinct values, in order of first appearance.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

/// `runtime`'s ratio in `group`, two decimals, or a dash.
fn ratio_cell(group: &Relative, runtime: &str) -> String {
    group
        .ratios
        .iter()
        .find(|(name, _)| name == runtime)
        .map_or("–".to_owned(), |(_, ratio)| format!("{ratio:.2}"))
}

/// A table's header line and its alignment line: the first column to the
/// left, numbers to the right.
fn push_header(text: &mut String, header: &[String]) {
    push_row(text, header);
    let mut rule = vec!["---"];
    rule.resize(header.len(), "---:");
    let _ = writeln!(text, "|{}|", rule.join("|"));
}

fn push_row(text: &mut String, cells: &[String]) {
    let _ = writeln!(text, "| {} |", cells.join(" | "));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Data {
        let mut data = Data::new(&SCHEDULER_COLUMNS);
        data.set_meta("command", "cargo bench --bench scheduler");
        data.set_meta("note", "Median of 3 runs.");
        for (runtime, median) in [("aio", "500"), (REFERENCE, "1000")] {
            let cells = ["spawn (10)", "10", runtime, median, "400,500,600"];
            data.push(cells.map(str::to_owned).to_vec());
        }
        data
    }

    #[test]
    fn a_data_file_reads_back_as_written() {
        let data = sample();
        assert_eq!(Data::parse(&data.to_tsv()), Ok(data));
    }

    #[test]
    fn ratios_are_times_relative_to_tokio() {
        let groups = scheduler_relative(&sample());
        let ratios = &groups[0].ratios;
        assert_eq!(ratios[0], ("aio".to_owned(), 0.5));
        assert_eq!(ratios[1], (REFERENCE.to_owned(), 1.0));
    }

    /// An echo data file: one round of 1 KiB messages per server, with
    /// its requests per second, CPU µs per request and generator busy share.
    fn echo_sample(servers: [(&str, &str, &str, &str); 2]) -> Data {
        let mut data = Data::new(&ECHO_COLUMNS);
        for (server, rps, cpu, busy) in servers {
            let cells =
                [server, "1024", "1", rps, cpu, "0.5", busy, "", rps, cpu, ""];
            data.push(cells.map(str::to_owned).to_vec());
        }
        data
    }

    #[test]
    fn echo_ratios_are_cpu_per_request_relative_to_tokio() {
        // Fewer requests per second, but half the CPU per request: the
        // ratio follows the CPU.
        let data = echo_sample([
            ("aio", "50", "5.0", "0.5"),
            (REFERENCE, "100", "10.0", "0.5"),
        ]);
        let groups = echo_relative(&data);
        assert_eq!(groups[0].workload, "1 KiB messages");
        assert_eq!(groups[0].ratios[0], ("aio".to_owned(), 0.5));
    }

    #[test]
    fn tls_ratios_are_cpu_relative_to_tokio_rustls() {
        let data = echo_sample([
            ("aio", "50", "20.0", "0.5"),
            (TLS_REFERENCE, "100", "10.0", "0.5"),
        ]);
        let groups = echo_tls_relative(&data);
        assert_eq!(groups[0].ratios[0], ("aio".to_owned(), 2.0));
        let table = echo_tls_table(&data);
        assert!(
            table.contains("| aio | 50 | 2.00 | 20.0 | 50 | 50 |"),
            "{table}"
        );
        assert!(table.contains("÷ tokio-rustls's (1 KiB)"), "{table}");
    }

    #[test]
    fn a_generator_bound_measurement_is_marked() {
        let data = echo_sample([
            ("aio", "50", "5.0", "0.95"),
            (REFERENCE, "100", "10.0", "0.5"),
        ]);
        let table = echo_table(&data);
        assert!(table.contains("| aio | 50 † |"), "{table}");
        assert!(table.contains("| tokio current_thread | 100 |"), "{table}");
    }

    #[test]
    fn idle_memory_is_per_connection_relative_to_tokio() {
        let mut data = Data::new(&IDLE_COLUMNS);
        for (server, after) in [("aio", "3000"), (REFERENCE, "5000")] {
            let cells = [server, "1000", "100", "1000", after, ""];
            data.push(cells.map(str::to_owned).to_vec());
        }
        let groups = idle_relative(&data);
        assert_eq!(groups[0].ratios[0], ("aio".to_owned(), 0.5));
        let table = idle_table(&data);
        assert!(
            table.contains("| aio | 1.0 | 2.9 | 2.0 | 2.00 | 0.50 |"),
            "{table}"
        );
    }

    #[test]
    fn spawn_ratios_are_times_per_spawn_relative_to_tokio_process() {
        let mut data = Data::new(&SPAWN_COLUMNS);
        for (spawner, median) in [("aio", "250"), (SPAWN_REFERENCE, "500")] {
            let cells = [spawner, "one at a time", "500", median, "", ""];
            data.push(cells.map(str::to_owned).to_vec());
        }
        let skipped = ["uvloop", "one at a time", "500", "", "", "no uvloop"];
        data.push(skipped.map(str::to_owned).to_vec());
        let groups = spawn_relative(&data);
        assert_eq!(groups[0].ratios[0], ("aio".to_owned(), 0.5));
        let table = spawn_table(&data);
        assert!(table.contains("| aio | 2000 | 0.50 |"), "{table}");
        assert!(table.contains("| uvloop | skipped: no uvloop |"), "{table}");
        assert!(table.contains("one at a time, spawns/s"), "{table}");
    }

    #[test]
    fn the_scheduler_table_shows_one_unit_per_column() {
        let table = scheduler_table(&sample());
        assert!(table.contains("| spawn (10) | 50 | 100 | 0.50 |"), "{table}");
        assert!(!table.contains("µs") && !table.contains(" ms"), "{table}");
    }
}
