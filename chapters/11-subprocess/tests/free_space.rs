//! The parse both `df` examples share, on `df` tables with fixed contents:
//! GNU's, and the macOS one in PyMOTW's output; and the test's reading of
//! `df -h` sizes.

mod common;

use ch11_subprocess::free_space::parse_results;

/// The mount point and free space of each row.
fn free_space(output: &str) -> Vec<(String, String)> {
    parse_results(output)
        .into_iter()
        .map(|row| (row["Mounted"].clone(), row["Avail"].clone()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let owned = |&(a, b): &(&str, &str)| (a.to_owned(), b.to_owned());
    expected.iter().map(owned).collect()
}

#[test]
fn gnu_df_columns_are_keyed_by_their_headers() {
    let output = "\
Filesystem      Size  Used Avail Use% Mounted on
/dev/vda        252G   21G   70G  23% /
tmpfs            12G     0   12G   0% /sys/fs/cgroup
";
    assert_eq!(
        free_space(output),
        pairs(&[("/", "70G"), ("/sys/fs/cgroup", "12G")])
    );
    let rows = parse_results(output);
    assert_eq!(rows[0]["Filesystem"], "/dev/vda");
    assert_eq!(rows[0]["Use%"], "23%");
    assert!(!rows[0].contains_key("on"), "`on` has no word left");
}

#[test]
fn the_macos_table_of_pymotw_gives_its_free_space() {
    let output = "\
Filesystem     Size   Used  Avail Capacity  iused      ifree %iused  Mounted on
/dev/disk1s5  466Gi   10Gi  181Gi     6%   487886 4882989034    0%   /
/dev/disk2s2  3.6Ti  3.0Ti  699Gi    82% 93226929 4201740350    2%   /Volumes/hubert-tm
";
    assert_eq!(
        free_space(output),
        pairs(&[("/", "181Gi"), ("/Volumes/hubert-tm", "699Gi")])
    );
}

#[test]
fn no_output_is_no_rows_and_a_header_alone_too() {
    assert!(parse_results("").is_empty());
    assert!(
        parse_results("Filesystem Size Used Avail Use% Mounted on\n")
            .is_empty()
    );
}

#[test]
fn df_sizes_are_read_with_the_step_of_their_last_digit() {
    assert_eq!(
        common::size("70G"),
        Some((70.0 * 1024f64.powi(3), 1024f64.powi(3)))
    );
    assert_eq!(common::size("4.0K"), Some((4096.0, 102.4)));
    assert_eq!(common::size("0"), Some((0.0, 1.0)));
    for not_a_size in ["", "G", "1.G", ".5M", "12Q", "-"] {
        assert_eq!(common::size(not_a_size), None, "{not_a_size:?}");
    }
}
