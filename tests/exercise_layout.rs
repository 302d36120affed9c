//! Every chapter's exercises follow one pattern, so a chapter written later
//! cannot skip it or invent another:
//!
//! - the chapter's crate has a `solutions` feature, and an `exercises` test
//!   target that `cargo test --workspace` leaves out (`test = false`), since
//!   the starters fail it;
//! - `src/exercises/mod.rs` (the starters) and `solutions/mod.rs` (the
//!   reference solutions) declare the same modules, three to five in a
//!   chapter; each has its file in both places and its grader module in
//!   `tests/exercises.rs`;
//! - no exercise's name contains another's, so that the filter in a grade
//!   command picks out one exercise;
//! - the page's `## Exercises` section gives each exercise's file, its grade
//!   command and what passing shows, and links the solutions page, which
//!   shows every solution; the table of contents lists that page.
//!
//! The capstone (`capstone/`, `book/capstone.md`) follows the same pattern
//! with a single exercise. That the solutions pass their graders and the
//! starters fail them is checked by running the graders: `.ci/exercises`.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// A crate with exercises: where it lives, its package, its pages.
struct ExerciseCrate {
    /// The crate's folder, relative to the repository (`chapters/01-coroutines`).
    dir: String,
    package: String,
    /// The page whose `## Exercises` section lists them (`ch01-coroutines.md`).
    page: String,
    /// The page with the solutions (`solutions-ch01-coroutines.md`).
    solutions_page: String,
    /// How many exercises the crate must have.
    allowed: std::ops::RangeInclusive<usize>,
}

fn exercise_crates() -> Vec<ExerciseCrate> {
    let mut crates = Vec::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(root().join("chapters"))
        .expect("chapters/ is readable")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let stem = format!("ch{name}");
        crates.push(ExerciseCrate {
            dir: format!("chapters/{name}"),
            package: stem.clone(),
            page: format!("{stem}.md"),
            solutions_page: format!("solutions-{stem}.md"),
            allowed: 3..=5,
        });
    }
    crates.push(ExerciseCrate {
        dir: "capstone".to_owned(),
        package: "capstone".to_owned(),
        page: "capstone.md".to_owned(),
        solutions_page: "solutions-capstone.md".to_owned(),
        allowed: 1..=5,
    });
    crates
}

/// The modules that a `mod.rs` declares with `pub mod name;`, in order.
fn declared_modules(mod_rs: &Path) -> Vec<String> {
    read(mod_rs)
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub mod "))
        .filter_map(|rest| rest.strip_suffix(';'))
        .map(str::to_owned)
        .collect()
}

/// The `## Exercises` section of a page: from its heading to the next `## `.
fn exercises_section(page: &str) -> Option<&str> {
    let start = page.find("\n## Exercises\n")?;
    let body = &page[start + 1..];
    let end = body[3..].find("\n## ").map_or(body.len(), |at| at + 3);
    Some(&body[..end])
}

/// Everything wrong with one crate's exercises, as readable lines.
fn problems_of(krate: &ExerciseCrate) -> Vec<String> {
    let mut problems = Vec::new();
    let dir = root().join(&krate.dir);
    let at = |what: &str| format!("{}: {what}", krate.dir);

    let manifest = read(&dir.join("Cargo.toml"));
    if !manifest.contains(&format!("name = \"{}\"", krate.package)) {
        problems.push(at(&format!("the package is not `{}`", krate.package)));
    }
    if !manifest.contains("\nsolutions = []") {
        problems.push(at("Cargo.toml has no `solutions = []` feature"));
    }
    if !manifest.contains("[[test]]\nname = \"exercises\"\ntest = false") {
        problems.push(at(
            "Cargo.toml must declare the grader as `[[test]] name = \
             \"exercises\"` with `test = false`",
        ));
    }
    let lib = read(&dir.join("src/lib.rs"));
    if !lib.contains("#[path = \"../solutions/mod.rs\"]\npub mod exercises;") {
        problems.push(at(
            "src/lib.rs must switch `exercises` to solutions/mod.rs \
             under the `solutions` feature",
        ));
    }

    let starters = declared_modules(&dir.join("src/exercises/mod.rs"));
    let solutions = declared_modules(&dir.join("solutions/mod.rs"));
    if starters != solutions {
        problems.push(at(&format!(
            "src/exercises/mod.rs declares {starters:?} but solutions/mod.rs \
             declares {solutions:?}"
        )));
    }
    if !krate.allowed.contains(&starters.len()) {
        problems.push(at(&format!(
            "{} exercises; it must have {} to {}",
            starters.len(),
            krate.allowed.start(),
            krate.allowed.end()
        )));
    }
    let graders = read(&dir.join("tests/exercises.rs"));
    for name in &starters {
        for file in
            [format!("src/exercises/{name}.rs"), format!("solutions/{name}.rs")]
        {
            if !dir.join(&file).is_file() {
                problems.push(at(&format!("{file} is missing")));
            }
        }
        if !graders.contains(&format!("mod {name} {{")) {
            problems.push(at(&format!(
                "tests/exercises.rs has no grader module `mod {name}`"
            )));
        }
        for other in starters.iter().filter(|other| *other != name) {
            if other.contains(name.as_str()) {
                problems.push(at(&format!(
                    "`{other}` contains `{name}`: the grade command's filter \
                     would pick both"
                )));
            }
        }
    }

    let book = root().join("book");
    if !book.join(&krate.page).is_file() {
        problems.push(format!("book/{} is missing", krate.page));
        return problems;
    }
    let page = read(&book.join(&krate.page));
    let Some(section) = exercises_section(&page) else {
        problems
            .push(format!("book/{}: no `## Exercises` section", krate.page));
        return problems;
    };
    let grade_all = format!("cargo test -p {} --test exercises", krate.package);
    for name in &starters {
        let edit =
            format!("- **Edit:** `{}/src/exercises/{name}.rs`", krate.dir);
        let grade_one = format!("- **Grade:** `{grade_all} {name}`");
        let grade_only = format!("- **Grade:** `{grade_all}`");
        if !section.contains(&edit) {
            problems.push(format!("book/{}: no line `{edit}`", krate.page));
        }
        let graded = section.contains(&grade_one)
            || (starters.len() == 1 && section.contains(&grade_only));
        if !graded {
            problems
                .push(format!("book/{}: no line `{grade_one}`", krate.page));
        }
    }
    let passing = section.matches("- **Passing shows:** ").count();
    if passing != starters.len() {
        problems.push(format!(
            "book/{}: {passing} `**Passing shows:**` lines for {} exercises",
            krate.page,
            starters.len()
        ));
    }
    if !section.contains(&format!("]({})", krate.solutions_page)) {
        problems.push(format!(
            "book/{}: the exercises do not link {}",
            krate.page, krate.solutions_page
        ));
    }

    let solutions_page = book.join(&krate.solutions_page);
    if !solutions_page.is_file() {
        problems.push(format!("book/{} is missing", krate.solutions_page));
        return problems;
    }
    let solutions_text = read(&solutions_page);
    for name in &starters {
        let include =
            format!("{{{{#include ../{}/solutions/{name}.rs", krate.dir);
        if !solutions_text.contains(&include) {
            problems.push(format!(
                "book/{}: shows nothing of solutions/{name}.rs",
                krate.solutions_page
            ));
        }
    }
    let summary = read(&book.join("SUMMARY.md"));
    for listed in [&krate.page, &krate.solutions_page] {
        if !summary.contains(&format!("]({listed})")) {
            problems.push(format!("book/SUMMARY.md does not list {listed}"));
        }
    }
    problems
}

#[test]
fn every_chapter_and_the_capstone_have_graded_exercises() {
    let crates = exercise_crates();
    assert!(crates.len() >= 15, "chapter crates not found");
    let problems: Vec<String> = crates.iter().flat_map(problems_of).collect();
    assert!(
        problems.is_empty(),
        "the exercises do not follow the book's pattern:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_section_ends_at_the_next_heading_of_its_level() {
    let page = "# T\n\n## Exercises\n\n### One\n\ntext\n\n## Next\n\nmore\n";
    assert_eq!(
        exercises_section(page),
        Some("## Exercises\n\n### One\n\ntext\n")
    );
    assert_eq!(exercises_section("# T\n\nno section\n"), None);
}
