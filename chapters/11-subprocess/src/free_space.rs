//! What both `df` examples do with the output: parse its table as PyMOTW's
//! `_parse_results` does, and print the free space of each file system.

use std::collections::BTreeMap;

/// One line of `df`'s table: the line's words, keyed by the header's words.
pub type Row = BTreeMap<String, String>;

// ANCHOR: parse_results
/// The rows of `df`'s table. The first line holds the headers, one word
/// each; every other line is a file system, one word per column. Like
/// PyMOTW, this assumes no mount point has a space in its name, and zips
/// `Mounted on` into a `Mounted` column (its `on` has no word left).
pub fn parse_results(output: &str) -> Vec<Row> {
    let mut lines = output.lines();
    let Some(header) = lines.next() else {
        return Vec::new();
    };
    let headers: Vec<&str> = header.split_whitespace().collect();
    let row = |line: &str| -> Row {
        let words = line.split_whitespace().map(str::to_owned);
        headers.iter().map(|&name| name.to_owned()).zip(words).collect()
    };
    lines.map(row).collect()
}
// ANCHOR_END: parse_results

// ANCHOR: report
/// Prints the free-space table, or the error exit.
pub fn report(
    return_code: i32,
    results: &[Row],
) -> Result<(), Box<dyn std::error::Error>> {
    crate::error_exit("df", return_code)?;
    println!("\nFree space:");
    for row in results {
        let column = |name: &str| row.get(name).map_or("?", String::as_str);
        println!("{:25}: {}", column("Mounted"), column("Avail"));
    }
    Ok(())
}
// ANCHOR_END: report

/// The rows of `df`'s output, or none when it failed, announced as PyMOTW
/// announces them.
pub fn results_of(return_code: i32, output: &[u8]) -> Vec<Row> {
    if return_code != 0 {
        return Vec::new();
    }
    println!("parsing results");
    parse_results(&String::from_utf8_lossy(output))
}
