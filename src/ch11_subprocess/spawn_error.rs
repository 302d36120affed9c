//! Chapter 11 (subprocesses): the error of a child that could not be
//! started, naming the program and saying what to do.
//!
//! Python raises `FileNotFoundError` or `PermissionError` from `Popen`, with
//! the program's name. [`SpawnError`] says which of the usual mistakes it
//! was (no such program, not executable, no such working directory, options
//! that don't fit together, a NUL byte), and turns into an `io::Error` of
//! the matching kind, from which it can be downcast back.

use std::fmt;
use std::io;
use std::path::PathBuf;

// ANCHOR: spawn_error
/// A child that could not be started: which program, and why.
#[derive(Debug)]
pub struct SpawnError {
    program: String,
    reason: SpawnReason,
}

/// Why a child could not be started.
#[derive(Debug)]
#[non_exhaustive]
pub enum SpawnReason {
    /// No such program: not in `PATH`, or no file at the path given.
    ProgramNotFound,
    /// The file is there, but may not be run (its mode, or not a program).
    NotExecutable(io::Error),
    /// The working directory does not exist, or is not a directory.
    CwdNotFound(PathBuf),
    /// The options or arguments can't be used as given (they don't fit
    /// together, or hold a NUL byte); the text says how.
    InvalidOptions(&'static str),
    /// Anything else the system said (out of processes, say).
    Other(io::Error),
}
// ANCHOR_END: spawn_error

impl SpawnError {
    pub(crate) fn new(program: &str, reason: SpawnReason) -> SpawnError {
        SpawnError { program: program.to_owned(), reason }
    }

    /// The program that could not be started.
    pub fn program(&self) -> &str {
        &self.program
    }

    /// Why.
    pub fn reason(&self) -> &SpawnReason {
        &self.reason
    }

    fn kind(&self) -> io::ErrorKind {
        match &self.reason {
            SpawnReason::ProgramNotFound | SpawnReason::CwdNotFound(_) => {
                io::ErrorKind::NotFound
            }
            SpawnReason::NotExecutable(_) => io::ErrorKind::PermissionDenied,
            SpawnReason::InvalidOptions(_) => io::ErrorKind::InvalidInput,
            SpawnReason::Other(error) => error.kind(),
        }
    }
}

impl fmt::Display for SpawnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let program = &self.program;
        write!(f, "cannot run {program:?}: ")?;
        match &self.reason {
            SpawnReason::ProgramNotFound if program.is_empty() => write!(
                f,
                "the program's name is empty; give the name or the path of \
                 the program to run"
            ),
            SpawnReason::ProgramNotFound if program.contains('/') => {
                write!(f, "there is no such file; check the path")
            }
            SpawnReason::ProgramNotFound => write!(
                f,
                "no program of that name is in PATH; check the name, or \
                 give its full path"
            ),
            SpawnReason::NotExecutable(error) => write!(
                f,
                "it is not something this system can run ({error}); check \
                 that it is a program and executable (chmod +x), or run it \
                 with its interpreter"
            ),
            SpawnReason::CwdNotFound(dir) => write!(
                f,
                "its working directory {dir:?} is not a directory that \
                 exists; create it, or choose another cwd"
            ),
            SpawnReason::InvalidOptions(why) => f.write_str(why),
            SpawnReason::Other(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for SpawnError {}

impl From<SpawnError> for io::Error {
    fn from(error: SpawnError) -> io::Error {
        io::Error::new(error.kind(), error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_message_names_the_program_and_says_what_to_do() {
        let missing = SpawnError::new("nosuch", SpawnReason::ProgramNotFound);
        assert!(missing.to_string().contains("\"nosuch\""));
        assert!(missing.to_string().contains("full path"));
        let dir = SpawnError::new(
            "ls",
            SpawnReason::CwdNotFound(PathBuf::from("/no/such/dir")),
        );
        assert!(dir.to_string().contains("/no/such/dir"));
        let error = io::Error::from(dir);
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        let inner = error.into_inner().unwrap();
        let back = inner.downcast::<SpawnError>().unwrap();
        assert_eq!(back.program(), "ls");
    }
}
