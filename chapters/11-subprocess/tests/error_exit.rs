//! A `df` that fails: both `df` examples print PyMOTW's `error exit N`, say
//! on stderr which program failed, and exit with status 1. The `df` they run
//! is a script at the front of `PATH`. (Alone in its test binary: a script
//! written while another test thread forks may be held open by the forked
//! child, and then cannot be run: "text file busy".)

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::{env, fs};

/// A folder holding a `df` that says what real `df` says when it finds no
/// file system, and fails.
fn failing_df() -> PathBuf {
    let folder =
        env::temp_dir().join(format!("ch11-df-{}", std::process::id()));
    fs::create_dir_all(&folder).unwrap();
    let script = folder.join("df");
    fs::write(
        &script,
        "#!/bin/sh\necho 'df: no file systems processed' >&2\nexit 1\n",
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    folder
}

#[test]
fn a_failing_df_is_an_error_exit() {
    let folder = failing_df();
    let path = env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![folder.clone()];
    paths.extend(env::split_paths(&path));
    let path = env::join_paths(paths).unwrap();
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
