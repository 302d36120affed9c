//! The book shows only compiled, tested code and verified output.
//!
//! - Every `{{#include}}` in `book/` names a file that exists and, when it
//!   names an anchor, an anchor that the file defines.
//! - Every `ANCHOR:` in the sources is included by some page (no stale anchors).
//! - Every example snapshot is included by some page, starting right after
//!   insta's header, so the page shows exactly the output that the snapshot
//!   test checks.
//! - Every example module has at least one anchor, so its code can be shown.
//! - Code and output blocks (`rust`, `text`, `console`) hold nothing but
//!   includes: nothing is pasted into markdown.
//! - Every block has a caption right before its fence; a listing's caption
//!   names the file it shows, and an output's the command that printed it.
//! - No listing is shown twice; shown code and example output fit 80 columns.
//! - Prose mentions of a chapter link to it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` whose name ends with `suffix`, sorted.
fn files_under(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| name != "target") {
                    pending.push(path);
                }
            } else if path.to_string_lossy().ends_with(suffix) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// One `{{#include path[:selector]}}` directive.
struct Include {
    page: PathBuf,
    file: PathBuf,
    selector: Option<String>,
}

fn includes_in(page: &Path) -> Vec<Include> {
    let text = fs::read_to_string(page).expect("page is readable");
    includes_in_text(page, &text)
}

fn includes_in_text(page: &Path, text: &str) -> Vec<Include> {
    let mut includes = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{#include ") {
        let after = &rest[start + "{{#include ".len()..];
        let end = after.find("}}").unwrap_or_else(|| {
            panic!("{}: unterminated include", page.display())
        });
        let target = after[..end].trim();
        let (path, selector) = match target.split_once(':') {
            Some((path, selector)) => (path, Some(selector.to_owned())),
            None => (target, None),
        };
        let file = page.parent().expect("page has a folder").join(path);
        includes.push(Include { page: page.to_path_buf(), file, selector });
        rest = &after[end..];
    }
    includes
}

fn anchors_in(file: &Path) -> Vec<String> {
    let text = fs::read_to_string(file).unwrap_or_default();
    // Only comments define anchors (this file's own string literals do not).
    text.lines()
        .filter(|line| line.trim_start().starts_with("//"))
        .filter_map(|line| {
            line.split_once("ANCHOR: ").map(|(_, name)| name.trim().to_owned())
        })
        .collect()
}

fn canonical(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The 1-based line where a snapshot's content starts: after the header's
/// closing `---`.
fn snapshot_content_line(snapshot: &Path) -> usize {
    let text = fs::read_to_string(snapshot).expect("snapshot is readable");
    let closing = text
        .lines()
        .enumerate()
        .filter(|(_, line)| *line == "---")
        .nth(1)
        .map(|(index, _)| index)
        .unwrap_or_else(|| panic!("{}: no insta header", snapshot.display()));
    closing + 2
}

fn all_includes() -> Vec<Include> {
    files_under(&root().join("book"), ".md")
        .iter()
        .flat_map(|page| includes_in(page))
        .collect()
}

fn source_files() -> Vec<PathBuf> {
    ["src", "chapters", "tests"]
        .iter()
        .flat_map(|dir| files_under(&root().join(dir), ".rs"))
        .collect()
}

#[test]
fn every_include_names_an_existing_file_and_anchor() {
    let mut problems = Vec::new();
    for include in all_includes() {
        let shown = include.page.display();
        if !include.file.is_file() {
            problems.push(format!(
                "{shown}: includes missing file {}",
                include.file.display()
            ));
            continue;
        }
        let is_snapshot =
            include.file.extension().is_some_and(|ext| ext == "snap");
        match include.selector.as_deref() {
            Some(selector) if is_snapshot => {
                let expected =
                    format!("{}:", snapshot_content_line(&include.file));
                if selector != expected {
                    problems.push(format!(
                        "{shown}: include {} with `:{expected}` to show the snapshot without its header",
                        include.file.display()
                    ));
                }
            }
            None if is_snapshot => problems.push(format!(
                "{shown}: {} is included with its insta header",
                include.file.display()
            )),
            Some(selector)
                if !selector
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit()) =>
            {
                let text =
                    fs::read_to_string(&include.file).unwrap_or_default();
                let begins = text.lines().any(|line| {
                    line.trim_end().ends_with(&format!("ANCHOR: {selector}"))
                });
                let ends = text.lines().any(|line| {
                    line.trim_end()
                        .ends_with(&format!("ANCHOR_END: {selector}"))
                });
                if !(begins && ends) {
                    problems.push(format!(
                        "{shown}: anchor `{selector}` is missing in {}",
                        include.file.display()
                    ));
                }
            }
            _ => {}
        }
    }
    assert!(problems.is_empty(), "broken includes:\n{}", problems.join("\n"));
}

#[test]
fn every_anchor_is_shown_in_the_book() {
    let included: BTreeSet<(PathBuf, String)> = all_includes()
        .into_iter()
        .filter_map(|include| {
            include
                .selector
                .map(|selector| (canonical(&include.file), selector))
        })
        .collect();
    let mut unused = Vec::new();
    for file in source_files() {
        for anchor in anchors_in(&file) {
            if !included.contains(&(canonical(&file), anchor.clone())) {
                unused.push(format!("{}: ANCHOR {anchor}", file.display()));
            }
        }
    }
    assert!(
        unused.is_empty(),
        "anchors that no page includes:\n{}",
        unused.join("\n")
    );
}

#[test]
fn every_example_output_is_shown_in_the_book() {
    let included: BTreeSet<PathBuf> =
        all_includes().iter().map(|include| canonical(&include.file)).collect();
    let snapshots = files_under(&root().join("chapters"), ".snap");
    assert!(!snapshots.is_empty(), "no example snapshots found");
    let missing: Vec<String> = snapshots
        .iter()
        .filter(|snapshot| !included.contains(&canonical(snapshot)))
        .map(|snapshot| snapshot.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "example outputs that no page shows:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_example_module_has_an_anchor() {
    let mut bare = Vec::new();
    for file in files_under(&root().join("chapters"), ".rs") {
        let name =
            file.file_name().and_then(|name| name.to_str()).unwrap_or_default();
        let in_lib = file.parent().is_some_and(|dir| dir.ends_with("src"));
        if in_lib
            && name != "lib.rs"
            && name != "main.rs"
            && anchors_in(&file).is_empty()
        {
            bare.push(file.display().to_string());
        }
    }
    assert!(
        bare.is_empty(),
        "example modules with no anchor to show them:\n{}",
        bare.join("\n")
    );
}

#[test]
fn code_and_output_blocks_hold_only_includes() {
    let mut pasted = Vec::new();
    for page in files_under(&root().join("book"), ".md") {
        let text = fs::read_to_string(&page).expect("page is readable");
        let mut fence: Option<String> = None;
        for (number, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if let Some(info) = trimmed.strip_prefix("```") {
                fence = match fence {
                    Some(_) => None,
                    None => Some(
                        info.split(',')
                            .next()
                            .unwrap_or_default()
                            .trim()
                            .to_owned(),
                    ),
                };
                continue;
            }
            let checked = matches!(
                fence.as_deref(),
                Some("rust" | "text" | "console" | "")
            );
            if checked
                && !trimmed.is_empty()
                && !trimmed.starts_with("{{#include ")
            {
                pasted.push(format!(
                    "{}:{}: {line}",
                    page.display(),
                    number + 1
                ));
            }
        }
    }
    assert!(
        pasted.is_empty(),
        "code or output pasted into the book (include it from a tested file; use ```diagram for pictures and ```sh for commands):\n{}",
        pasted.join("\n")
    );
}

/// The widest line a listing may have: rustfmt's `max_width`, chosen so that
/// code fits the book's column (about 80 characters at desktop width).
fn listing_width() -> usize {
    let config = fs::read_to_string(root().join("rustfmt.toml"))
        .expect("rustfmt.toml is readable");
    config
        .lines()
        .find_map(|line| line.strip_prefix("max_width = "))
        .and_then(|width| width.trim().parse().ok())
        .expect("rustfmt.toml sets max_width")
}

/// The lines an include shows: the whole file, or what lies between its
/// anchors, without the anchor lines themselves (as mdBook does).
fn shown_lines(include: &Include) -> Vec<String> {
    numbered_shown_lines(include).into_iter().map(|(_, line)| line).collect()
}

/// The 0-based range of lines that a `START:END` selector (1-based, either
/// end optional, as mdBook reads it) picks, or `None` for an anchor name.
fn line_range(selector: &str, len: usize) -> Option<std::ops::Range<usize>> {
    let number = |text: &str, default: usize| {
        if text.is_empty() { Some(default) } else { text.parse().ok() }
    };
    match selector.split_once(':') {
        Some((start, end)) => {
            let start = number(start, 1)?;
            Some(start.saturating_sub(1)..number(end, len)?.min(len))
        }
        None => {
            let line: usize = selector.parse().ok()?;
            Some(line.saturating_sub(1)..line.min(len))
        }
    }
}

/// The lines an include shows, with their 0-based numbers in the file.
fn numbered_shown_lines(include: &Include) -> Vec<(usize, String)> {
    let text = fs::read_to_string(&include.file).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let is_anchor =
        |line: &str| line.contains("ANCHOR: ") || line.contains("ANCHOR_END: ");
    let numbered = lines.iter().enumerate();
    let Some(anchor) = include.selector.as_deref() else {
        return numbered
            .filter(|(_, line)| !is_anchor(line))
            .map(|(number, line)| (number, (*line).to_owned()))
            .collect();
    };
    if let Some(range) = line_range(anchor, lines.len()) {
        return numbered
            .filter(|(number, _)| range.contains(number))
            .map(|(number, line)| (number, (*line).to_owned()))
            .collect();
    }
    let mut inside = false;
    let mut shown = Vec::new();
    for (number, line) in numbered {
        let trimmed = line.trim_end();
        if trimmed.ends_with(&format!("ANCHOR: {anchor}")) {
            inside = true;
        } else if trimmed.ends_with(&format!("ANCHOR_END: {anchor}")) {
            inside = false;
        } else if inside && !is_anchor(line) {
            shown.push((number, (*line).to_owned()));
        }
    }
    shown
}

/// Whether the width check reads this include: code, and the examples'
/// outputs. Loom's reports (the bug museum's snapshots) are loom's own
/// format, shown as loom printed them; the stylesheet wraps output lines, so
/// they still show in full.
fn is_width_checked(file: &Path) -> bool {
    let is_code = file.extension().is_some_and(|ext| ext == "rs");
    let is_example_output =
        is_snapshot(file) && repo_path(file).starts_with("chapters/");
    is_code || is_example_output
}

#[test]
fn shown_code_fits_the_column() {
    let width = listing_width();
    assert!(width <= 88, "max_width {width} is wider than the book's column");
    let mut wide = Vec::new();
    for include in all_includes() {
        if !is_width_checked(&include.file) {
            continue;
        }
        for line in shown_lines(&include) {
            let columns = line.chars().count();
            if columns > width {
                wide.push(format!(
                    "{} ({columns} > {width}): {line}",
                    include.file.display()
                ));
            }
        }
    }
    wide.sort();
    wide.dedup();
    assert!(
        wide.is_empty(),
        "listings wider than the column ({} lines):\n{}",
        wide.len(),
        wide.join("\n")
    );
}

#[test]
fn the_width_check_sees_anchored_lines_only() {
    let dir =
        std::env::temp_dir().join(format!("aio-width-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("sample.rs");
    let long = "x".repeat(120);
    fs::write(
        &file,
        format!("{long}\n// ANCHOR: a\nshort\n{long}\n// ANCHOR_END: a\n"),
    )
    .expect("sample written");
    let include =
        Include { page: dir.join("page.md"), file, selector: Some("a".into()) };
    assert_eq!(shown_lines(&include), ["short".to_owned(), long.clone()]);
    let lines_three_four = Include { selector: Some("3:4".into()), ..include };
    assert_eq!(shown_lines(&lines_three_four), ["short".to_owned(), long]);
    fs::remove_dir_all(&dir).expect("temp dir removed");
}

/// One fenced block of a page: where it opens, its info string, the line
/// right before its fence (its caption), and what it includes.
struct Fence {
    page: PathBuf,
    line: usize,
    info: String,
    caption: String,
    includes: Vec<Include>,
}

impl Fence {
    fn at(&self) -> String {
        format!("{}:{}", self.page.display(), self.line)
    }
}

fn fences_in(page: &Path) -> Vec<Fence> {
    let text = fs::read_to_string(page).expect("page is readable");
    let lines: Vec<&str> = text.lines().collect();
    let mut fences = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let Some(info) = lines[index].trim_start().strip_prefix("```") else {
            index += 1;
            continue;
        };
        let close = (index + 1..lines.len())
            .find(|&end| lines[end].trim_start().starts_with("```"))
            .unwrap_or(lines.len());
        let body = lines[index + 1..close].join("\n");
        fences.push(Fence {
            page: page.to_path_buf(),
            line: index + 1,
            info: info.split(',').next().unwrap_or_default().trim().to_owned(),
            caption: index
                .checked_sub(1)
                .map(|before| lines[before].trim().to_owned())
                .unwrap_or_default(),
            includes: includes_in_text(page, &body),
        });
        index = close + 1;
    }
    fences
}

fn all_fences() -> Vec<Fence> {
    files_under(&root().join("book"), ".md")
        .iter()
        .flat_map(|page| fences_in(page))
        .collect()
}

/// `file` relative to the repository, as a caption names it.
fn repo_path(file: &Path) -> String {
    let file = canonical(file);
    file.strip_prefix(canonical(&root())).unwrap_or(&file).display().to_string()
}

fn is_snapshot(file: &Path) -> bool {
    file.extension().is_some_and(|ext| ext == "snap")
}

/// Every listing, output and command has a caption on the line right before
/// its fence: a bold lead and a phrase ending in a colon, such as
/// **`src/ch01_coroutines/tick.rs`**, one tick:
/// (`diagram` blocks are pictures waiting to become figures, not listings.)
#[test]
fn every_code_fence_has_a_caption() {
    let bare: Vec<String> = all_fences()
        .iter()
        .filter(|fence| fence.info != "diagram")
        .filter(|fence| {
            !(fence.caption.starts_with("**") && fence.caption.ends_with(':'))
        })
        .map(|fence| format!("{}: {:?}", fence.at(), fence.caption))
        .collect();
    assert!(
        bare.is_empty(),
        "code blocks without a caption line right before the fence ({}):\n{}",
        bare.len(),
        bare.join("\n")
    );
}

/// A listing's caption names, in bold code, the file its include reads.
#[test]
fn captions_name_the_file_they_show() {
    let mut wrong = Vec::new();
    for fence in all_fences() {
        for include in &fence.includes {
            if is_snapshot(&include.file) {
                continue;
            }
            let named = format!("**`{}`**, ", repo_path(&include.file));
            if !fence.caption.starts_with(&named) {
                wrong.push(format!(
                    "{}: caption {:?} should start with {named:?}",
                    fence.at(),
                    fence.caption
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "captions that do not name the file shown ({}):\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The package names and binaries of the workspace's example crates.
fn example_binaries() -> BTreeSet<(String, String)> {
    let mut binaries = BTreeSet::new();
    for manifest in files_under(&root().join("chapters"), "Cargo.toml") {
        let text = fs::read_to_string(&manifest).expect("manifest readable");
        let Some(package) = text.lines().find_map(|line| {
            line.strip_prefix("name = ").map(|name| name.trim_matches('"'))
        }) else {
            continue;
        };
        let bins = manifest.with_file_name("src").join("bin");
        for bin in files_under(&bins, ".rs") {
            let stem = bin.file_stem().and_then(|stem| stem.to_str());
            if let Some(stem) = stem {
                binaries.insert((package.to_owned(), stem.to_owned()));
            }
        }
    }
    binaries
}

/// Whether some source file defines a function called `name` (a test).
fn defines_function(name: &str) -> bool {
    let needle = format!("fn {name}(");
    source_files().iter().any(|file| {
        fs::read_to_string(file).is_ok_and(|text| text.contains(&needle))
    })
}

/// What is wrong with an output's command, if anything: `cargo run -p PKG
/// --bin BIN` must name an example that exists, and `cargo test ... NAME` a
/// test that exists.
fn command_problem(
    command: &str,
    binaries: &BTreeSet<(String, String)>,
) -> Option<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let after = |flag: &str| {
        words
            .iter()
            .position(|word| *word == flag)
            .and_then(|at| words.get(at + 1))
            .map(|word| (*word).to_owned())
    };
    if command.contains("cargo run") {
        let (Some(package), Some(bin)) = (after("-p"), after("--bin")) else {
            return Some(format!("`{command}` needs -p PKG --bin BIN"));
        };
        (!binaries.contains(&(package.clone(), bin.clone())))
            .then(|| format!("no binary `{bin}` in package `{package}`"))
    } else if command.contains("cargo test") {
        let name = words.last().copied().unwrap_or_default();
        (!defines_function(name)).then(|| format!("no test named `{name}`"))
    } else {
        Some(format!("`{command}` is neither cargo run nor cargo test"))
    }
}

/// Every output shown is labelled as output, with the command that printed
/// it: **Output** of `cargo run -p ch02-scheduling --bin call_later`:
#[test]
fn outputs_name_the_command_that_printed_them() {
    let binaries = example_binaries();
    assert!(!binaries.is_empty(), "no example binaries found");
    let mut wrong = Vec::new();
    for fence in all_fences() {
        if !fence.includes.iter().any(|include| is_snapshot(&include.file)) {
            continue;
        }
        let command = fence
            .caption
            .strip_prefix("**Output** of `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(command, _)| command);
        let problem = match command {
            None => Some(format!(
                "caption {:?} should be **Output** of `COMMAND`...:",
                fence.caption
            )),
            Some(command) => command_problem(command, &binaries),
        };
        if let Some(problem) = problem {
            wrong.push(format!("{}: {problem}", fence.at()));
        }
    }
    assert!(
        wrong.is_empty(),
        "outputs without a true command ({}):\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The source lines (0-based) an include shows, ignoring blank ones.
fn shown_line_numbers(include: &Include) -> BTreeSet<usize> {
    numbered_shown_lines(include)
        .into_iter()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, _)| number)
        .collect()
}

/// The most lines two listings may share. Three lets a narrower listing
/// repeat the signature or the closing braces around its part, so that it
/// reads on its own; any more is one listing shown twice, and the second
/// page should link to the first instead.
const SHARED_LINES_ALLOWED: usize = 3;

/// No listing is shown twice: no two listings or outputs anywhere in the
/// book show more than `SHARED_LINES_ALLOWED` of the same source lines.
/// (Tables that pages include as markdown, outside code blocks, are results,
/// not listings.)
#[test]
fn no_listing_is_shown_twice() {
    let shown: Vec<(Include, BTreeSet<usize>)> = all_fences()
        .into_iter()
        .flat_map(|fence| fence.includes)
        .map(|include| {
            let lines = shown_line_numbers(&include);
            (include, lines)
        })
        .collect();
    let mut repeated = Vec::new();
    for (at, (first, first_lines)) in shown.iter().enumerate() {
        for (second, second_lines) in &shown[at + 1..] {
            if canonical(&first.file) != canonical(&second.file) {
                continue;
            }
            let shared = first_lines.intersection(second_lines).count();
            if shared > SHARED_LINES_ALLOWED {
                repeated.push(format!(
                    "{} lines of {} shown by {} ({:?}) and {} ({:?})",
                    shared,
                    repo_path(&first.file),
                    first.page.display(),
                    first.selector,
                    second.page.display(),
                    second.selector,
                ));
            }
        }
    }
    assert!(
        repeated.is_empty(),
        "listings shown twice ({}); link to the first showing instead:\n{}",
        repeated.len(),
        repeated.join("\n")
    );
}

#[test]
fn the_overlap_check_counts_shared_lines() {
    let dir = std::env::temp_dir()
        .join(format!("aio-overlap-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("sample.rs");
    fs::write(
        &file,
        "// ANCHOR: outer\na\n\n// ANCHOR: inner\nb\nc\n// ANCHOR_END: inner\n// ANCHOR_END: outer\nd\n",
    )
    .expect("sample written");
    let include = |selector: Option<&str>| Include {
        page: dir.join("page.md"),
        file: file.clone(),
        selector: selector.map(str::to_owned),
    };
    assert_eq!(
        shown_line_numbers(&include(Some("outer"))),
        BTreeSet::from([1, 4, 5])
    );
    assert_eq!(shown_line_numbers(&include(Some("inner"))), [4, 5].into());
    assert_eq!(shown_line_numbers(&include(Some("2:2"))), [1].into());
    assert_eq!(shown_line_numbers(&include(None)), [1, 4, 5, 8].into());
    fs::remove_dir_all(&dir).expect("temp dir removed");
}

/// The chapter pages: number to file name (`7` to `ch07-protocols.md`).
fn chapter_pages() -> Vec<(u32, String)> {
    let mut pages = Vec::new();
    for page in files_under(&root().join("book"), ".md") {
        let name = page.file_name().and_then(|name| name.to_str());
        let Some(name) = name.filter(|name| name.starts_with("ch")) else {
            continue;
        };
        if let Some(number) = name.get(2..4).and_then(|n| n.parse().ok()) {
            pages.push((number, name.to_owned()));
        }
    }
    pages
}

/// A page's prose: its lines outside code fences, headings and HTML, with
/// inline code blanked out so that nothing in it counts as a mention.
fn prose_of(text: &str) -> String {
    let mut prose = String::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
            prose.push('\n');
            continue;
        }
        if in_fence || trimmed.starts_with('#') || trimmed.starts_with('<') {
            prose.push('\n');
            continue;
        }
        let mut in_code = false;
        for c in line.chars() {
            if c == '`' {
                in_code = !in_code;
            }
            prose.push(if in_code || c == '`' { ' ' } else { c });
        }
        prose.push('\n');
    }
    prose
}

/// Where each "chapter N" mention starts in `prose`, with its number.
fn chapter_mentions(prose: &str) -> Vec<(usize, u32)> {
    let mut mentions = Vec::new();
    for (at, _) in prose.match_indices("hapter") {
        let Some((start, first)) = prose[..at].char_indices().next_back()
        else {
            continue;
        };
        let boundary = prose[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let rest = &prose[at + "hapter".len()..];
        let digits: String = rest
            .strip_prefix(char::is_whitespace)
            .unwrap_or_default()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if matches!(first, 'c' | 'C')
            && boundary
            && let Ok(number) = digits.parse()
        {
            mentions.push((start, number));
        }
    }
    mentions
}

/// Whether the mention at `at` is the text of a link to `target`: inside
/// `[...]`, followed by `](target`.
fn is_linked(prose: &str, at: usize, target: &str) -> bool {
    let opened = prose[..at].rfind('[');
    let closed_before = prose[..at].rfind(']');
    let inside =
        opened.is_some_and(|open| closed_before.is_none_or(|c| c < open));
    inside
        && prose[at..].find(']').is_some_and(|close| {
            prose[at + close..].starts_with(&format!("]({target}"))
        })
}

/// Every prose mention of a chapter that exists ("chapter 7", "Chapter 7")
/// links to it, except on that chapter's own page.
#[test]
fn chapter_mentions_are_links() {
    let pages = chapter_pages();
    assert!(pages.len() >= 8, "chapter pages not found");
    let mut plain = Vec::new();
    for page in files_under(&root().join("book"), ".md") {
        let name = page.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "SUMMARY.md" {
            continue;
        }
        let prose =
            prose_of(&fs::read_to_string(&page).expect("page is readable"));
        for (at, number) in chapter_mentions(&prose) {
            let Some((_, target)) = pages.iter().find(|(n, _)| *n == number)
            else {
                continue;
            };
            if target != name && !is_linked(&prose, at, target) {
                let line = prose[..at].matches('\n').count() + 1;
                plain.push(format!(
                    "{}:{line}: chapter {number} is not a link to {target}",
                    page.display()
                ));
            }
        }
    }
    assert!(
        plain.is_empty(),
        "chapter mentions that are not links ({}; write [chapter N](chNN-name.md)):\n{}",
        plain.len(),
        plain.join("\n")
    );
}

#[test]
fn the_link_check_reads_links_and_skips_code() {
    let prose = prose_of(
        "See [chapter 7's reactor](ch07-protocols.md#r) and chapter 7.\n\
         # Chapter 7\n`chapter 7` and [Chapter\n7](ch07-protocols.md).\n",
    );
    let mentions = chapter_mentions(&prose);
    assert_eq!(mentions.len(), 3, "{mentions:?}");
    let linked: Vec<bool> = mentions
        .iter()
        .map(|&(at, _)| is_linked(&prose, at, "ch07-protocols.md"))
        .collect();
    assert_eq!(linked, [true, false, true]);
}
