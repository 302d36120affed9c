//! The two `df` examples with a stand-in `df`, a script at the front of
//! `PATH`. One prints a fixed table, so that the book shows output that is
//! the same on every machine (the snapshots); one fails, and both examples
//! print PyMOTW's `error exit N`, say on stderr which program failed, and
//! exit with status 1. (The tests run one after another, in this binary of
//! their own: a script written while another test thread forks may be held
//! open by the forked child, and then cannot be run: "text file busy".)

mod common;

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::{env, fs};

/// One test at a time: see the module's doc.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A folder holding a `df` script with `body`, named for `name`.
fn stand_in_df(name: &str, body: &str) -> PathBuf {
    let folder =
        env::temp_dir().join(format!("ch11-df-{name}-{}", std::process::id()));
    fs::create_dir_all(&folder).unwrap();
    let script = folder.join("df");
    fs::write(&script, format!("#!/bin/sh\n{body}")).unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    folder
}

/// `PATH` with `folder` in front.
fn path_with(folder: &Path) -> OsString {
    let path = env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![folder.to_path_buf()];
    paths.extend(env::split_paths(&path));
    env::join_paths(paths).unwrap()
}

/// What the stand-in prints: `df -hl`'s columns, with three file systems.
const FIXED_TABLE: &str = "\
Filesystem      Size  Used Avail Use% Mounted on
/dev/vda1       252G   84G  156G  35% /
tmpfs            12G     0   12G   0% /dev/shm
/dev/vdb1        98G   41G   52G  45% /srv/data
";

/// The stand-in `df` with the fixed table. It pauses before it exits, so
/// that its output is read before its exit is seen, the order PyMOTW shows
/// (a real `df` exits at once, and either can come first).
fn fixed_df() -> PathBuf {
    let body = format!("cat <<'TABLE'\n{FIXED_TABLE}TABLE\nsleep 0.3\n");
    stand_in_df("fixed", &body)
}

#[test]
fn with_a_fixed_table_both_examples_print_it_the_same_way_every_time() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let folder = fixed_df();
    let path = path_with(&folder);
    for (name, binary, pid) in [
        (
            "subprocess_protocol",
            env!("CARGO_BIN_EXE_subprocess_protocol"),
            "process started ",
        ),
        (
            "subprocess_coroutine",
            env!("CARGO_BIN_EXE_subprocess_coroutine"),
            "pid ",
        ),
    ] {
        let outputs: Vec<String> = common::SETTINGS
            .iter()
            .map(|setting| {
                let output = common::command(binary, setting)
                    .env("PATH", &path)
                    .output()
                    .unwrap();
                let stderr = String::from_utf8_lossy(&output.stderr);
                assert!(output.status.success(), "{name}: {stderr}");
                assert!(stderr.is_empty(), "{name} wrote: {stderr}");
                let stdout = String::from_utf8(output.stdout).unwrap();
                common::redact_pid(&stdout, pid)
            })
            .collect();
        for (setting, output) in common::SETTINGS.iter().zip(&outputs) {
            assert_eq!(output, &outputs[0], "{name} in {setting:?}");
        }
        common::snapshot(name, name, &outputs[0]);
    }
    fs::remove_dir_all(folder).unwrap();
}

/// A `df` that says what real `df` says when it finds no file system, and
/// fails.
fn failing_df() -> PathBuf {
    let body = "echo 'df: no file systems processed' >&2\nexit 1\n";
    stand_in_df("failing", body)
}

#[test]
fn a_failing_df_is_an_error_exit() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let folder = failing_df();
    let path = path_with(&folder);
    for (binary, pid) in [
        (env!("CARGO_BIN_EXE_subprocess_protocol"), "process started "),
        (env!("CARGO_BIN_EXE_subprocess_coroutine"), "pid "),
    ] {
        for setting in common::SETTINGS {
            let output = common::command(binary, setting)
                .env("PATH", &path)
                .output()
                .unwrap();
            let stdout = String::from_utf8(output.stdout).unwrap();
            let stderr = String::from_utf8(output.stderr).unwrap();
            assert_eq!(output.status.code(), Some(1), "{binary}: {stderr}");
            let stdout = common::redact_pid(&stdout, pid);
            assert!(stdout.contains("\nreturn code 1\n"), "{stdout}");
            assert!(stdout.ends_with("\nerror exit 1\n"), "{stdout}");
            assert!(!stdout.contains("Free space"), "{stdout}");
            let name = binary.rsplit('/').next().unwrap();
            assert_eq!(
                stderr,
                format!(
                    "df: no file systems processed\n\
                     {name} failed: df exited with return code 1\n"
                )
            );
        }
    }
    fs::remove_dir_all(folder).unwrap();
}
