//! The module graph is the table of contents.
//!
//! Every runtime module starts with `//! Chapter N (...)`, is listed in `lib.rs` under
//! that chapter's heading, and uses only modules of its own chapter or earlier ones.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The chapter a module's first line declares.
fn declared_chapter(module: &str) -> Option<u32> {
    let text = fs::read_to_string(src().join(format!("{module}.rs"))).ok()?;
    let first = text.lines().next()?;
    let rest = first.strip_prefix("//! Chapter ")?;
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// Modules as `lib.rs` lists them, with the chapter heading they sit under.
fn modules_in_lib() -> BTreeMap<String, u32> {
    let lib = fs::read_to_string(src().join("lib.rs")).expect("lib.rs is readable");
    let mut chapter = None;
    let mut modules = BTreeMap::new();
    for line in lib.lines() {
        if let Some(rest) = line.strip_prefix("// Chapter ") {
            chapter = rest.split(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse().ok());
        } else if let Some(name) = line
            .strip_prefix("pub ")
            .unwrap_or(line)
            .strip_prefix("mod ")
            .and_then(|rest| rest.strip_suffix(';'))
        {
            let chapter =
                chapter.unwrap_or_else(|| panic!("lib.rs: `mod {name};` is under no chapter heading"));
            modules.insert(name.to_owned(), chapter);
        }
    }
    modules
}

/// Which module each name that `lib.rs` re-exports comes from (`Task` -> `task_handle`).
fn reexports() -> BTreeMap<String, String> {
    let lib = fs::read_to_string(src().join("lib.rs")).expect("lib.rs is readable");
    let mut owners = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.strip_prefix("pub use ").and_then(|rest| rest.strip_suffix(';')) else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else { continue };
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            owners.insert(name.trim().to_owned(), module.to_owned());
        }
    }
    owners
}

/// The crate paths that a source file's code (not its comments) refers to: the first
/// segment after `crate::`, for `crate::name` and `crate::{a, b}`.
fn crate_modules_used(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .map(|line| line.to_owned() + "\n")
        .collect();
    let mut used = Vec::new();
    let mut rest = code.as_str();
    while let Some(position) = rest.find("crate::") {
        rest = &rest[position + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String =
                    item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                used.push(name);
            }
        } else {
            used.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    used.retain(|name| !name.is_empty());
    used
}

#[test]
fn every_module_declares_its_chapter_and_lib_agrees() {
    let modules = modules_in_lib();
    assert!(modules.len() > 5, "lib.rs lists too few modules: {modules:?}");
    for (module, listed) in &modules {
        let declared = declared_chapter(module)
            .unwrap_or_else(|| panic!("src/{module}.rs must start with `//! Chapter N (...)`"));
        assert_eq!(
            declared, *listed,
            "src/{module}.rs says chapter {declared} but lib.rs lists it under {listed}"
        );
    }
    for entry in fs::read_dir(src()).expect("src is readable").flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(name) = file_name.strip_suffix(".rs").map(str::to_owned) else { continue };
        assert!(name == "lib" || modules.contains_key(&name), "src/{name}.rs is not listed in lib.rs");
    }
}

#[test]
fn no_module_uses_a_later_chapter() {
    let modules = modules_in_lib();
    let reexports = reexports();
    let mut violations = Vec::new();
    for (module, chapter) in &modules {
        let text = fs::read_to_string(src().join(format!("{module}.rs"))).expect("module is readable");
        for used in crate_modules_used(&text) {
            let used = reexports.get(&used).cloned().unwrap_or(used);
            match modules.get(&used) {
                Some(used_chapter) if used_chapter > chapter => violations.push(format!(
                    "src/{module}.rs (chapter {chapter}) uses crate::{used} (chapter {used_chapter})"
                )),
                Some(_) => {}
                None => violations.push(format!("src/{module}.rs uses crate::{used}, which is not a module")),
            }
        }
    }
    assert!(violations.is_empty(), "the module graph must follow the chapters:\n{}", violations.join("\n"));
}

#[test]
fn the_checker_sees_grouped_and_nested_paths() {
    let used = crate_modules_used(
        "use crate::{timers::TimerQueue, clock};\n/// see [`x`](crate::handle)\nlet x = crate::sleep::sleep(d);",
    );
    assert_eq!(used, ["timers", "clock", "sleep"]);
    assert_eq!(reexports().get("Task").map(String::as_str), Some("task_handle"));
}
