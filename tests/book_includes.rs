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
    let mut includes = Vec::new();
    let mut rest = text.as_str();
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
    let text = fs::read_to_string(&include.file).unwrap_or_default();
    let is_anchor =
        |line: &str| line.contains("ANCHOR: ") || line.contains("ANCHOR_END: ");
    match include.selector.as_deref() {
        None => text
            .lines()
            .filter(|line| !is_anchor(line))
            .map(str::to_owned)
            .collect(),
        Some(anchor) => {
            let mut inside = false;
            let mut shown = Vec::new();
            for line in text.lines() {
                let trimmed = line.trim_end();
                if trimmed.ends_with(&format!("ANCHOR: {anchor}")) {
                    inside = true;
                } else if trimmed.ends_with(&format!("ANCHOR_END: {anchor}")) {
                    inside = false;
                } else if inside && !is_anchor(line) {
                    shown.push(line.to_owned());
                }
            }
            shown
        }
    }
}

#[test]
fn shown_code_fits_the_column() {
    let width = listing_width();
    assert!(width <= 88, "max_width {width} is wider than the book's column");
    let mut wide = Vec::new();
    for include in all_includes() {
        if include.file.extension().is_none_or(|ext| ext != "rs") {
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
    assert_eq!(shown_lines(&include), ["short".to_owned(), long]);
    fs::remove_dir_all(&dir).expect("temp dir removed");
}
