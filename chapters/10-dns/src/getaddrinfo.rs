//! `asyncio_getaddrinfo.py`: names to addresses, for the `https` service
//! over TCP, each name looked up on a worker thread while the loop waits
//! for all of them at once.
//!
//! `getaddrinfo [--service SERVICE] [NAME ...]`; with no names it looks up
//! `localhost` and this machine's host name, which resolve with no network.

use std::fmt;
use std::io;
use std::process::ExitCode;

/// How the command line is written, for error messages.
pub const USAGE: &str = "getaddrinfo [--service SERVICE] [NAME ...]";

// ANCHOR: lines_for
/// One line per address of `name`, as PyMOTW prints them, or why there are
/// none.
pub async fn lines_for(
    name: String,
    service: String,
) -> Result<Vec<String>, aio::GaiError> {
    let tcp = aio::Hints {
        socket_type: aio::SocketType::Stream,
        ..aio::Hints::default()
    };
    let entries = aio::getaddrinfo(&name, service.as_str(), tcp).await?;
    Ok(entries
        .iter()
        .map(|entry| format!("{name:20}: {}", entry.address.ip()))
        .collect())
}
// ANCHOR_END: lines_for

// ANCHOR: look_up
/// Looks every name up at once, then prints the answers in the order
/// given. `Ok(false)` if some name could not be looked up.
pub async fn look_up(
    names: Vec<String>,
    service: String,
) -> Result<bool, aio::Error> {
    let lookups =
        names.into_iter().map(|name| lines_for(name, service.clone()));
    let mut all_found = true;
    for answer in aio::gather(lookups).await? {
        match answer {
            Ok(lines) => lines.iter().for_each(|line| println!("{line}")),
            Err(error) => {
                eprintln!("{error}"); // names the name, and says why
                all_found = false;
            }
        }
    }
    Ok(all_found)
}
// ANCHOR_END: look_up

/// `getaddrinfo`'s command line: the service and the names, defaults filled
/// in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    /// The service to look up, `https` unless `--service` says otherwise.
    pub service: String,
    /// The names, in the order given.
    pub names: Vec<String>,
}

/// A command line that `getaddrinfo` cannot run.
#[derive(Debug)]
pub enum UsageError {
    /// An option it does not know.
    UnknownOption(String),
    /// `--service` with nothing after it.
    MissingService,
    /// No names were given and the host name could not be read.
    NoHostName(io::Error),
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::UnknownOption(option) => {
                write!(f, "unknown option {option}; usage: {USAGE}")
            }
            UsageError::MissingService => {
                write!(f, "--service needs a value after it; usage: {USAGE}")
            }
            UsageError::NoHostName(error) => write!(
                f,
                "could not read this machine's host name ({error}); name \
                 the hosts to look up: {USAGE}"
            ),
        }
    }
}

impl std::error::Error for UsageError {}

impl CommandLine {
    /// Reads `args` (without the program's name).
    pub fn parse(args: Vec<String>) -> Result<CommandLine, UsageError> {
        let mut line =
            CommandLine { service: "https".to_owned(), names: Vec::new() };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--service" {
                line.service = args.next().ok_or(UsageError::MissingService)?;
            } else if arg.starts_with("--") {
                return Err(UsageError::UnknownOption(arg));
            } else {
                line.names.push(arg);
            }
        }
        if line.names.is_empty() {
            let host_name = host_name().map_err(UsageError::NoHostName)?;
            line.names = vec!["localhost".to_owned(), host_name];
        }
        Ok(line)
    }
}

/// This machine's host name, from `gethostname(2)`, as Python's
/// `socket.gethostname()` reads it.
pub fn host_name() -> io::Result<String> {
    let mut buffer = [0u8; 256];
    // SAFETY: the buffer is writable for the length given; gethostname
    // writes at most that many bytes into it and nothing else.
    let code =
        unsafe { libc::gethostname(buffer.as_mut_ptr().cast(), buffer.len()) };
    if code != 0 {
        return Err(io::Error::last_os_error());
    }
    // A name that filled the buffer may have no NUL at the end.
    let end = buffer.iter().position(|&byte| byte == 0);
    let name = &buffer[..end.unwrap_or(buffer.len())];
    Ok(String::from_utf8_lossy(name).into_owned())
}

/// The program: `args` are its arguments, without its name.
pub fn main(args: Vec<String>) -> ExitCode {
    match CommandLine::parse(args) {
        Ok(line) => {
            crate::run_lookups("getaddrinfo", look_up(line.names, line.service))
        }
        Err(error) => {
            eprintln!("getaddrinfo: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{CommandLine, UsageError};

    fn parse(args: &[&str]) -> Result<CommandLine, UsageError> {
        CommandLine::parse(args.iter().map(|arg| arg.to_string()).collect())
    }

    #[test]
    fn the_service_option_goes_anywhere_among_the_names() {
        let line = parse(&["a.lan", "--service", "ssh", "b.lan"]).unwrap();
        assert_eq!(line.service, "ssh");
        assert_eq!(line.names, ["a.lan", "b.lan"]);
        assert_eq!(parse(&["a.lan"]).unwrap().service, "https");
    }

    #[test]
    fn no_names_are_localhost_and_the_host_name() {
        let line = parse(&[]).unwrap();
        assert_eq!(line.names[0], "localhost");
        assert_eq!(line.names[1], super::host_name().unwrap());
        assert!(!line.names[1].is_empty());
    }

    #[test]
    fn a_bad_command_line_says_how_to_write_it() {
        let unknown = parse(&["--port", "443"]).unwrap_err().to_string();
        assert!(unknown.starts_with("unknown option --port; usage: "));
        let missing = parse(&["localhost", "--service"]).unwrap_err();
        assert!(missing.to_string().contains("--service needs a value"));
    }
}
