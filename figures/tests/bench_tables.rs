//! Every benchmark table in `book/generated/` is what its data file renders
//! to: a table edited by hand, or left behind by a benchmark that changed its
//! data, fails here. To refresh them, rerun the benchmark (its command is in
//! the table's first paragraph).

use figures::bench_data::{self, Data};
use figures::charts::generated_dir;
use std::fs;

#[test]
fn every_table_matches_its_data() {
    let dir = generated_dir();
    for (name, render) in bench_data::TABLES {
        let data =
            Data::load(&dir, name).unwrap_or_else(|error| panic!("{error}"));
        let path = dir.join(format!("{name}.md"));
        let committed = fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert_eq!(
            committed,
            render(&data),
            "{name}.md is not what {name}.tsv renders to: rerun `{}`",
            data.meta("command")
        );
    }
}

#[test]
fn every_data_file_has_a_table() {
    let orphans: Vec<String> = fs::read_dir(generated_dir())
        .expect("book/generated exists")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".tsv").map(str::to_owned))
        .filter(|name| {
            bench_data::TABLES.iter().all(|(table, _)| table != name)
        })
        .collect();
    assert!(orphans.is_empty(), "data files with no table: {orphans:?}");
}
