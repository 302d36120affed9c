//! Every committed figure is exactly what the code draws now, and every
//! figure the code draws is committed: a stale figure fails here, just as a
//! stale output snapshot fails its example's test. To refresh them all, run
//! `cargo run -p figures`.

use std::collections::BTreeSet;
use std::fs;

#[test]
fn every_committed_figure_is_fresh() {
    let dir = figures::figures_dir();
    let mut stale = Vec::new();
    for figure in figures::all() {
        let path = dir.join(format!("{}.svg", figure.name));
        match fs::read_to_string(&path) {
            Ok(committed) if committed == figure.svg => {}
            Ok(_) => stale.push(format!("{} differs", figure.name)),
            Err(_) => stale.push(format!("{} is missing", figure.name)),
        }
    }
    assert!(
        stale.is_empty(),
        "stale figures (run `cargo run -p figures`): {stale:?}"
    );
}

#[test]
fn every_committed_figure_is_drawn_by_code() {
    let drawn: BTreeSet<String> = figures::all()
        .into_iter()
        .map(|figure| format!("{}.svg", figure.name))
        .collect();
    let orphans: Vec<String> = fs::read_dir(figures::figures_dir())
        .expect("book/figures exists")
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".svg") && !drawn.contains(name))
        .collect();
    assert!(orphans.is_empty(), "figures no code draws: {orphans:?}");
}

#[test]
fn figure_names_are_unique() {
    let figures = figures::all();
    let names: BTreeSet<&str> =
        figures.iter().map(|figure| figure.name.as_str()).collect();
    assert_eq!(names.len(), figures.len(), "two figures share a name");
}
