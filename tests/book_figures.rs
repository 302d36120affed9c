//! The book's figures are real figures, every one of them used.
//!
//! - No ASCII diagram is left: no ```` ```diagram ```` fence in `book/`.
//! - Every `<img>` in a page sits in a `<figure>` block, with a non-empty
//!   `alt` (what a reader who cannot see it is told) and a non-empty
//!   `<figcaption>`, and its `src` names a file in `book/figures/`.
//! - A `<figure>` block has a blank line before and after it, so that
//!   mdBook treats it as HTML and not as part of a paragraph.
//! - Every SVG in `book/figures/` is shown by some page.
//! - Every page that explains a mechanism has at least one figure.
//!
//! That each committed figure is what its code draws now is checked by
//! `figures/tests/fresh.rs`.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

fn book() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("book")
}

/// Every page of the book: its file name and its text.
fn pages() -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = fs::read_dir(book())
        .expect("book/ exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(&path).expect("a readable page");
            (name, text)
        })
        .collect();
    pages.sort();
    pages
}

/// The value of attribute `name` in the tag `tag`, if it has one.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let length = tag[start..].find('"')?;
    Some(&tag[start..start + length])
}

/// One `<figure>` block of a page: the line it starts on and its text.
struct FigureBlock {
    line: usize,
    text: String,
}

/// The page's `<figure>` blocks, and the problems with how they sit in it.
fn figure_blocks(page: &str, text: &str) -> (Vec<FigureBlock>, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut problems = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "<figure>" {
            i += 1;
            continue;
        }
        let start = i;
        let Some(length) =
            lines[start..].iter().position(|line| line.trim() == "</figure>")
        else {
            problems
                .push(format!("{page}:{}: <figure> never closed", start + 1));
            break;
        };
        let end = start + length;
        if start > 0 && !lines[start - 1].trim().is_empty() {
            problems.push(format!(
                "{page}:{}: no blank line before <figure>",
                start + 1
            ));
        }
        if lines.get(end + 1).is_some_and(|line| !line.trim().is_empty()) {
            problems.push(format!(
                "{page}:{}: no blank line after </figure>",
                end + 1
            ));
        }
        blocks.push(FigureBlock {
            line: start + 1,
            text: lines[start..=end].join("\n"),
        });
        i = end + 1;
    }
    (blocks, problems)
}

#[test]
fn no_ascii_diagram_is_left() {
    let left: Vec<String> = pages()
        .iter()
        .flat_map(|(page, text)| {
            text.lines()
                .enumerate()
                .filter(|(_, line)| line.trim_start().starts_with("```diagram"))
                .map(move |(n, _)| format!("{page}:{}", n + 1))
        })
        .collect();
    assert!(
        left.is_empty(),
        "ASCII diagrams left (draw them in the figures crate): {left:?}"
    );
}

#[test]
fn every_image_is_a_captioned_figure_with_alt_text() {
    let mut problems = Vec::new();
    for (page, text) in pages() {
        let images = text.matches("<img").count();
        let (blocks, placement) = figure_blocks(&page, &text);
        problems.extend(placement);
        let in_figures: usize =
            blocks.iter().map(|block| block.text.matches("<img").count()).sum();
        if in_figures != images {
            problems.push(format!(
                "{page}: {} <img> outside a <figure> block",
                images - in_figures
            ));
        }
        for block in &blocks {
            let at = format!("{page}:{}", block.line);
            let Some(tag_start) = block.text.find("<img") else {
                problems.push(format!("{at}: a <figure> with no <img>"));
                continue;
            };
            let tag = &block.text[tag_start..];
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            match attribute(tag, "alt") {
                Some(alt) if !alt.trim().is_empty() => {}
                _ => problems.push(format!("{at}: no alt text")),
            }
            match attribute(tag, "src")
                .and_then(|src| src.strip_prefix("figures/"))
            {
                Some(file) if book().join("figures").join(file).is_file() => {}
                Some(file) => {
                    problems.push(format!("{at}: no file book/figures/{file}"))
                }
                None => problems.push(format!("{at}: src not in figures/")),
            }
            let caption = block
                .text
                .split_once("<figcaption>")
                .and_then(|(_, rest)| rest.split_once("</figcaption>"))
                .map(|(caption, _)| caption.trim());
            if caption.is_none_or(str::is_empty) {
                problems.push(format!("{at}: no <figcaption>"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "figures in the book:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_figure_file_is_shown_by_a_page() {
    let shown: BTreeSet<String> = pages()
        .iter()
        .flat_map(|(_, text)| {
            text.split("src=\"figures/")
                .skip(1)
                .filter_map(|rest| rest.split_once('"'))
                .map(|(file, _)| file.to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let unused: Vec<String> = fs::read_dir(book().join("figures"))
        .expect("book/figures exists")
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".svg") && !shown.contains(name))
        .collect();
    assert!(unused.is_empty(), "figures no page shows: {unused:?}");
}

#[test]
fn every_page_that_explains_a_mechanism_has_a_figure() {
    let explaining = |page: &str| {
        let chapter = page.strip_prefix("ch").is_some_and(|rest| {
            rest.len() > 2 && rest[..2].bytes().all(|b| b.is_ascii_digit())
        });
        page == "concepts.md" || page == "appendix-bug-museum.md" || chapter
    };
    let bare: Vec<String> = pages()
        .into_iter()
        .filter(|(page, text)| explaining(page) && !text.contains("<figure>"))
        .map(|(page, _)| page)
        .collect();
    assert!(bare.is_empty(), "pages with no figure: {bare:?}");
}
