//! The module graph is the table of contents.
//!
//! - `src/` holds `lib.rs` and one folder per chapter, `src/chNN_name/`, named
//!   like the chapter's crate `chapters/NN-name/` and page `book/chNN-name.md`.
//! - Every module opens with `//! Chapter N (...)`, the chapter of its folder.
//! - A module uses only modules of its own chapter or earlier ones.
//! - No two modules use each other, directly or through others: the graph has
//!   no cycles, inside a chapter either.
//! - One exception, named here: `lib.rs` is the composition root, and its
//!   `pub(crate) fn`s (listed in `ROOT_DEFAULTS`) say which later chapter's
//!   piece an earlier chapter's seam uses by default. A module may call them;
//!   that is not an edge of the graph, since the seam is the earlier
//!   chapter's and the choice is the root's.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A module: its chapter folder (`ch01_coroutines`) and file stem (`task`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Module {
    folder: String,
    name: String,
}

impl Module {
    fn chapter(&self) -> u32 {
        chapter_of_folder(&self.folder).expect("folder names start chNN_")
    }

    fn path(&self) -> PathBuf {
        root().join("src").join(&self.folder).join(format!("{}.rs", self.name))
    }
}

impl std::fmt::Display for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}::{}", self.folder, self.name)
    }
}

/// `ch07_protocols` -> 7.
fn chapter_of_folder(folder: &str) -> Option<u32> {
    let digits = folder.strip_prefix("ch")?.split('_').next()?;
    (digits.len() == 2).then(|| digits.parse().ok()).flatten()
}

fn chapter_folders() -> Vec<String> {
    let mut folders: Vec<String> = fs::read_dir(root().join("src"))
        .expect("src is readable")
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    folders
}

fn modules() -> Vec<Module> {
    let mut modules = Vec::new();
    for folder in chapter_folders() {
        let dir = root().join("src").join(&folder);
        for entry in fs::read_dir(&dir).expect("folder is readable").flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if let Some(name) = file.strip_suffix(".rs")
                && name != "mod"
            {
                modules
                    .push(Module { folder: folder.clone(), name: name.into() });
            }
        }
    }
    modules.sort();
    modules
}

/// Which module each name that `lib.rs` re-exports comes from
/// (`Task` -> `ch01_coroutines::task`).
fn reexports() -> BTreeMap<String, Module> {
    let lib = fs::read_to_string(root().join("src/lib.rs")).expect("lib.rs");
    let mut owners = BTreeMap::new();
    let mut statement = String::new();
    for line in lib.lines() {
        if line.starts_with("pub use ") || !statement.is_empty() {
            statement.push_str(line.trim());
            statement.push(' ');
        }
        if !statement.ends_with("; ") {
            continue;
        }
        let text = std::mem::take(&mut statement);
        let path = text.trim_start_matches("pub use ").trim_end_matches("; ");
        let mut parts = path.splitn(3, "::");
        let (Some(folder), Some(name)) = (parts.next(), parts.next()) else {
            continue;
        };
        let module = Module { folder: folder.into(), name: name.into() };
        let items = parts.next().unwrap_or(name);
        for item in items.trim_matches(|c| c == '{' || c == '}').split(',') {
            let item = item.trim();
            if !item.is_empty() {
                owners.insert(item.to_owned(), module.clone());
            }
        }
    }
    owners
}

/// What a path after `crate::` names: a module (`ch01_coroutines::task`), or
/// a name re-exported at the crate's root (`Task`).
#[derive(Debug, PartialEq, Eq)]
enum Used {
    Module(Module),
    Root(String),
}

/// The crate paths that a source file's code (not its comments) uses.
fn crate_paths_used(text: &str) -> Vec<Used> {
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .map(|line| line.to_owned() + "\n")
        .collect();
    let ident = |s: &str| {
        s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
    };
    let mut used = Vec::new();
    let mut rest = code.as_str();
    while let Some(position) = rest.find("crate::") {
        rest = &rest[position + "crate::".len()..];
        let first: String = ident(rest);
        if first.is_empty() {
            continue; // `crate::{...}` at the root: not used in this project
        }
        if chapter_of_folder(&first).is_none() {
            used.push(Used::Root(first));
            continue;
        }
        let after = &rest[first.len()..];
        let Some(after) = after.strip_prefix("::") else {
            used.push(Used::Root(first));
            continue;
        };
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = ident(item.trim());
                if !name.is_empty() {
                    used.push(Used::Module(Module {
                        folder: first.clone(),
                        name,
                    }));
                }
            }
        } else {
            let name: String = ident(after);
            used.push(Used::Module(Module { folder: first, name }));
        }
    }
    used
}

/// The composition root's defaults: the `pub(crate) fn`s of `lib.rs`, each
/// naming the later chapter's piece an earlier seam gets by default.
const ROOT_DEFAULTS: &[&str] = &[
    "default_resolver",
    "cancel_on_ctrl_c",
    "shutdown_default_executor",
    "enable_debug_mode",
    "run_blocking",
];

/// Every module's uses of other modules, resolved through re-exports.
fn module_graph() -> (BTreeMap<Module, BTreeSet<Module>>, Vec<String>) {
    let modules: BTreeSet<Module> = modules().into_iter().collect();
    let reexports = reexports();
    let mut graph = BTreeMap::new();
    let mut problems = Vec::new();
    for module in &modules {
        let text =
            fs::read_to_string(module.path()).expect("module is readable");
        let mut uses = BTreeSet::new();
        for used in crate_paths_used(&text) {
            let target = match used {
                Used::Module(target) => target,
                Used::Root(name) if ROOT_DEFAULTS.contains(&name.as_str()) => {
                    continue;
                }
                Used::Root(name) => match reexports.get(&name) {
                    Some(owner) => owner.clone(),
                    None => {
                        problems.push(format!(
                            "{module} uses crate::{name}, which lib.rs does not re-export"
                        ));
                        continue;
                    }
                },
            };
            if !modules.contains(&target) {
                problems.push(format!(
                    "{module} uses {target}, which is not a module"
                ));
            } else if target != *module {
                uses.insert(target);
            }
        }
        graph.insert(module.clone(), uses);
    }
    (graph, problems)
}

/// One cycle in `graph`, as the modules along it, if there is any.
fn find_cycle<N: Ord + Clone>(
    graph: &BTreeMap<N, BTreeSet<N>>,
) -> Option<Vec<N>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<N: Ord + Clone>(
        node: &N,
        graph: &BTreeMap<N, BTreeSet<N>>,
        marks: &mut BTreeMap<N, Mark>,
        path: &mut Vec<N>,
    ) -> Option<Vec<N>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start =
                    path.iter().position(|n| n == node).expect("on path");
                let mut cycle = path[start..].to_vec();
                cycle.push(node.clone());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.clone(), Mark::Open);
        path.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, path) {
                return Some(cycle);
            }
        }
        path.pop();
        marks.insert(node.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, graph, &mut marks, &mut Vec::new()) {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn the_composition_roots_defaults_are_the_ones_named_here() {
    let lib = fs::read_to_string(root().join("src/lib.rs")).expect("lib.rs");
    let defined: Vec<String> = lib
        .lines()
        .filter_map(|line| {
            line.strip_prefix("pub(crate) fn ")
                .or_else(|| line.strip_prefix("pub(crate) async fn "))
        })
        .map(|rest| {
            rest.split(['(', '<']).next().unwrap_or_default().to_owned()
        })
        .collect();
    assert_eq!(
        defined, ROOT_DEFAULTS,
        "lib.rs's pub(crate) fns are the composition root's defaults; list \
         each in ROOT_DEFAULTS, with the seam it fills"
    );
}

#[test]
fn src_is_lib_and_one_folder_per_chapter() {
    let mut loose = Vec::new();
    for entry in fs::read_dir(root().join("src")).expect("src").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            assert!(
                chapter_of_folder(&name).is_some(),
                "src/{name}/ is not a chapter folder (src/chNN_name/)"
            );
        } else if name != "lib.rs" {
            loose.push(name);
        }
    }
    assert!(
        loose.is_empty(),
        "files at src/'s top belong in a chapter folder: {loose:?}"
    );
    let lib = fs::read_to_string(root().join("src/lib.rs")).expect("lib.rs");
    for folder in chapter_folders() {
        assert!(
            lib.lines().any(|line| line == format!("mod {folder};")),
            "lib.rs must declare `mod {folder};`"
        );
    }
}

/// Every chapter crate's binaries land in the one `target/debug/`, so two
/// with the same name overwrite each other, and a test that runs one of them
/// (through `CARGO_BIN_EXE_name`) may run the other chapter's.
#[test]
fn example_binaries_have_names_of_their_own() {
    let mut crates_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in fs::read_dir(root().join("chapters")).expect("chapters") {
        let chapter = entry.expect("an entry").path();
        let Ok(bins) = fs::read_dir(chapter.join("src/bin")) else { continue };
        for bin in bins.flatten() {
            let name = bin.path().file_stem().expect("a name").to_owned();
            let crate_name = chapter.file_name().expect("a folder");
            crates_of
                .entry(name.to_string_lossy().into_owned())
                .or_default()
                .push(crate_name.to_string_lossy().into_owned());
        }
    }
    let shared: Vec<_> =
        crates_of.into_iter().filter(|(_, crates)| crates.len() > 1).collect();
    assert!(shared.is_empty(), "binaries in two crates: {shared:?}");
}

#[test]
fn chapter_folders_line_up_with_crates_and_pages() {
    for folder in chapter_folders() {
        let number =
            format!("{:02}", chapter_of_folder(&folder).expect("chapter"));
        let dashed = folder.replace('_', "-");
        let crate_name = dashed.trim_start_matches("ch");
        for entry in
            fs::read_dir(root().join("chapters")).expect("chapters").flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&format!("{number}-")) {
                assert_eq!(
                    name, crate_name,
                    "src/{folder}/ and chapters/{name}/ differ"
                );
            }
        }
        for entry in fs::read_dir(root().join("book")).expect("book").flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&format!("ch{number}-")) {
                assert_eq!(
                    name,
                    format!("{dashed}.md"),
                    "src/{folder}/ and book/{name} differ"
                );
            }
        }
    }
}

#[test]
fn every_module_declares_its_chapter_and_mod_rs_lists_it() {
    let modules = modules();
    assert!(modules.len() > 20, "too few modules found: {}", modules.len());
    for folder in chapter_folders() {
        let mod_rs = root().join("src").join(&folder).join("mod.rs");
        let text = fs::read_to_string(&mod_rs)
            .unwrap_or_else(|_| panic!("src/{folder}/mod.rs is missing"));
        let chapter = chapter_of_folder(&folder).expect("chapter");
        assert!(
            text.starts_with(&format!("//! Chapter {chapter} (")),
            "src/{folder}/mod.rs must open with its chapter's doc, `//! Chapter {chapter} (...)`"
        );
        for module in modules.iter().filter(|module| module.folder == folder) {
            assert!(
                text.lines().any(
                    |line| line.ends_with(&format!("mod {};", module.name))
                ),
                "src/{folder}/mod.rs does not declare `mod {};`",
                module.name
            );
        }
    }
    for module in &modules {
        let text = fs::read_to_string(module.path()).expect("module");
        let chapter = module.chapter();
        assert!(
            text.starts_with(&format!("//! Chapter {chapter} (")),
            "src/{}/{}.rs must open with `//! Chapter {chapter} (...)`: what it does",
            module.folder,
            module.name
        );
    }
}

#[test]
fn no_module_uses_a_later_chapter() {
    let (graph, problems) = module_graph();
    let mut violations = problems;
    for (module, uses) in &graph {
        for used in uses {
            if used.chapter() > module.chapter() {
                violations.push(format!(
                    "{module} (chapter {}) uses {used} (chapter {})",
                    module.chapter(),
                    used.chapter()
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "the module graph must follow the chapters:\n{}",
        violations.join("\n")
    );
}

#[test]
fn no_two_modules_use_each_other() {
    let (graph, _) = module_graph();
    if let Some(cycle) = find_cycle(&graph) {
        let shown: Vec<String> =
            cycle.iter().map(ToString::to_string).collect();
        panic!("the module graph has a cycle: {}", shown.join(" -> "));
    }
}

/// The modules a chapter's `mod.rs` declares, in its order.
fn declared_order(folder: &str) -> Vec<String> {
    let mod_rs = root().join("src").join(folder).join("mod.rs");
    let text = fs::read_to_string(mod_rs).expect("mod.rs is readable");
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest =
                line.strip_prefix("pub ").or(line.strip_prefix("pub(crate) "));
            rest.unwrap_or(line)
                .strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn each_chapter_declares_its_modules_in_reading_order() {
    let (graph, _) = module_graph();
    let mut out_of_order = Vec::new();
    for folder in chapter_folders() {
        let order = declared_order(&folder);
        for (position, name) in order.iter().enumerate() {
            let module = Module { folder: folder.clone(), name: name.clone() };
            for used in graph.get(&module).into_iter().flatten() {
                let later = order[position..].contains(&used.name);
                if used.folder == folder && later {
                    out_of_order.push(format!(
                        "src/{folder}/mod.rs declares `{name}` before `{}`, which it uses",
                        used.name
                    ));
                }
            }
        }
    }
    assert!(
        out_of_order.is_empty(),
        "mod.rs lists a chapter's modules so that each uses only those above it:\n{}",
        out_of_order.join("\n")
    );
}

#[test]
fn the_checker_sees_paths_and_cycles() {
    let used = crate_paths_used(
        "use crate::ch01_coroutines::{task::Task, clock};\n\
         /// see [`x`](crate::ch02_scheduling::handle)\n\
         let x = crate::ch02_scheduling::sleep::sleep(d);\nlet e = crate::Error;",
    );
    let module = |folder: &str, name: &str| {
        Used::Module(Module { folder: folder.into(), name: name.into() })
    };
    assert_eq!(
        used,
        [
            module("ch01_coroutines", "task"),
            module("ch01_coroutines", "clock"),
            module("ch02_scheduling", "sleep"),
            Used::Root("Error".into()),
        ]
    );
    let owner = reexports().get("Task").cloned();
    assert_eq!(
        owner.map(|m| m.to_string()).as_deref(),
        Some("ch01_coroutines::task")
    );
    let graph: BTreeMap<u32, BTreeSet<u32>> =
        [(1, [2].into()), (2, [3].into()), (3, [1].into()), (4, [1].into())]
            .into();
    assert_eq!(find_cycle(&graph), Some(vec![1, 2, 3, 1]));
    let acyclic: BTreeMap<u32, BTreeSet<u32>> =
        [(1, [2, 3].into()), (2, [3].into()), (3, BTreeSet::new())].into();
    assert_eq!(find_cycle(&acyclic), None);
    assert!(Path::new(&root().join("src/lib.rs")).is_file());
}
