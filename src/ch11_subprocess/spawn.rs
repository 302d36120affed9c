//! Chapter 11 (subprocesses): starting a child: `fork`, then `exec`, with
//! its standard streams set up in between.
//!
//! What runs between `fork` and `exec` is delicate: the child is a copy of
//! a multi-threaded process, and may only make async-signal-safe calls
//! (`dup2`, `chdir`, `execve`) until `exec` replaces it. Rust's standard
//! library gets this right (it uses `posix_spawn` where it can, and reports
//! a failed `exec` back over a pipe), and tokio uses it too; so does aio.
//! What aio adds is the pipes, whose ends it keeps for the loop
//! (`pipe.rs`), and an error that says which of the usual mistakes was made
//! (`spawn_error.rs`).

use crate::ch11_subprocess::options::{ProcessOptions, Stdio};
use crate::ch11_subprocess::pipe::{
    PipeReader, PipeWriter, pipe_from_child, pipe_to_child,
};
use crate::ch11_subprocess::spawn_error::{SpawnError, SpawnReason};
use std::ffi::OsStr;
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::process::Command;

/// A child that has started: its pid, what it runs, and our ends of its
/// pipes.
#[derive(Debug)]
pub(crate) struct Spawned {
    pub(crate) pid: u32,
    /// The program and its arguments, for messages.
    pub(crate) command_line: String,
    pub(crate) stdin: Option<PipeWriter>,
    pub(crate) stdout: Option<PipeReader>,
    pub(crate) stderr: Option<PipeReader>,
}

// ANCHOR: spawn
/// Starts `program` with `args`; a stream the options leave unset is
/// `default`.
pub(crate) fn spawn(
    program: &OsStr,
    args: &[&OsStr],
    options: &ProcessOptions,
    default: Stdio,
) -> Result<Spawned, SpawnError> {
    let name = program.to_string_lossy();
    let fail = |reason| SpawnError::new(&name, reason);
    check_no_nul(program, args, options).map_err(fail)?;
    check_env_names(options).map_err(fail)?;
    check_working_directory(options).map_err(fail)?;
    let mut command = Command::new(program);
    command.args(args);
    if options.env_clear {
        command.env_clear();
    }
    for (key, value) in &options.env {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    if let Some(dir) = &options.cwd {
        command.current_dir(dir);
    }
    let pipes =
        connect_streams(&mut command, options, default).map_err(fail)?;
    let child = command.spawn().map_err(|error| fail(why(error, options)))?;
    // The child has its ends now; ours must go, or it never reads EOF.
    drop(command);
    Ok(Spawned {
        pid: child.id(),
        command_line: command_line(program, args),
        stdin: pipes.stdin,
        stdout: pipes.stdout,
        stderr: pipes.stderr,
    })
}
// ANCHOR_END: spawn

/// Our ends of the pipes that `connect_streams` made.
struct OurEnds {
    stdin: Option<PipeWriter>,
    stdout: Option<PipeReader>,
    stderr: Option<PipeReader>,
}

// ANCHOR: connect_streams
/// Gives the child its three streams, making a pipe for each that wants
/// one, and keeps our ends.
fn connect_streams(
    command: &mut Command,
    options: &ProcessOptions,
    default: Stdio,
) -> Result<OurEnds, SpawnReason> {
    let stdin = options.stdin.unwrap_or(default);
    let stdout = options.stdout.unwrap_or(default);
    let stderr = options.stderr.unwrap_or(default);
    if stdin == Stdio::Stdout || stdout == Stdio::Stdout {
        return Err(SpawnReason::InvalidOptions(
            "Stdio::Stdout is for stderr only (it sends the child's errors \
             where its output goes); use Stdio::Pipe for stdin or stdout",
        ));
    }
    let failed = SpawnReason::Other;
    let mut ours = OurEnds { stdin: None, stdout: None, stderr: None };
    if stdin == Stdio::Pipe {
        let (writer, childs) = pipe_to_child().map_err(failed)?;
        ours.stdin = Some(writer);
        command.stdin(childs);
    } else {
        command.stdin(plain(stdin));
    }
    // The child's end of its stdout, kept for a stderr that goes there too.
    let mut childs_stdout: Option<OwnedFd> = None;
    if stdout == Stdio::Pipe {
        let (reader, childs) = pipe_from_child().map_err(failed)?;
        ours.stdout = Some(reader);
        if stderr == Stdio::Stdout {
            childs_stdout = Some(childs.try_clone().map_err(failed)?);
        }
        command.stdout(childs);
    } else {
        command.stdout(plain(stdout));
    }
    match stderr {
        Stdio::Pipe => {
            let (reader, childs) = pipe_from_child().map_err(failed)?;
            ours.stderr = Some(reader);
            command.stderr(childs);
        }
        Stdio::Stdout => match (childs_stdout, stdout) {
            (Some(childs), _) => drop(command.stderr(childs)),
            (None, Stdio::Inherit) => {
                let ours = io::stdout().as_fd().try_clone_to_owned();
                command.stderr(ours.map_err(failed)?);
            }
            (None, _) => drop(command.stderr(std::process::Stdio::null())),
        },
        other => drop(command.stderr(plain(other))),
    }
    Ok(ours)
}
// ANCHOR_END: connect_streams

/// A stream that is not a pipe.
fn plain(stdio: Stdio) -> std::process::Stdio {
    match stdio {
        Stdio::Null => std::process::Stdio::null(),
        _ => std::process::Stdio::inherit(),
    }
}

/// Refuses a NUL byte in any text the child is given: each becomes a C
/// string, which ends at the first NUL. `Command` would refuse it too, but
/// with "nul byte found in provided data", saying neither where nor what to
/// do (Python says `ValueError: embedded null byte`).
fn check_no_nul(
    program: &OsStr,
    args: &[&OsStr],
    options: &ProcessOptions,
) -> Result<(), SpawnReason> {
    let has_nul = |text: &OsStr| text.as_bytes().contains(&0);
    let in_env = options.env.iter().any(|(key, value)| {
        has_nul(key) || value.as_deref().is_some_and(has_nul)
    });
    let in_cwd =
        options.cwd.as_deref().is_some_and(|dir| has_nul(dir.as_ref()));
    let why = if has_nul(program) {
        "the program's name holds a NUL byte, which a program can't be \
         given (C strings end there); remove it"
    } else if args.iter().any(|arg| has_nul(arg)) {
        "an argument holds a NUL byte, which a program can't be given (C \
         strings end there); remove it"
    } else if in_env {
        "an environment variable's name or value holds a NUL byte, which a \
         program can't be given (C strings end there); remove it"
    } else if in_cwd {
        "the working directory's path holds a NUL byte, which no path can \
         (C strings end there); remove it"
    } else {
        return Ok(());
    };
    Err(SpawnReason::InvalidOptions(why))
}

/// Refuses an environment variable whose name holds `=`: the child would
/// read the name as ending there, and see another variable (Python's
/// `subprocess` refuses it too: "illegal environment variable name").
fn check_env_names(options: &ProcessOptions) -> Result<(), SpawnReason> {
    let illegal = options
        .env
        .iter()
        .any(|(key, value)| value.is_some() && key.as_bytes().contains(&b'='));
    if illegal {
        return Err(SpawnReason::InvalidOptions(
            "an environment variable's name holds '=', where the child \
             would read the name as ending; choose a name without it",
        ));
    }
    Ok(())
}

/// Refuses a working directory that is not there before trying: the child
/// would fail with `ENOENT`, which would read as "no such program".
fn check_working_directory(
    options: &ProcessOptions,
) -> Result<(), SpawnReason> {
    match &options.cwd {
        Some(dir) if !dir.is_dir() => {
            Err(SpawnReason::CwdNotFound(dir.clone()))
        }
        _ => Ok(()),
    }
}

/// What a failed spawn's error means.
fn why(error: io::Error, options: &ProcessOptions) -> SpawnReason {
    match error.raw_os_error() {
        Some(libc::ENOENT) => match &options.cwd {
            // The directory went away after the check.
            Some(dir) if !dir.is_dir() => SpawnReason::CwdNotFound(dir.clone()),
            _ => SpawnReason::ProgramNotFound,
        },
        Some(libc::EACCES | libc::ENOEXEC | libc::EISDIR) => {
            SpawnReason::NotExecutable(error)
        }
        _ => SpawnReason::Other(error),
    }
}

/// The program and its arguments, as one line for messages.
fn command_line(program: &OsStr, args: &[&OsStr]) -> String {
    let mut line = program.to_string_lossy().into_owned();
    for arg in args {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}
