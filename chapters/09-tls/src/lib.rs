//! Chapter 9: using SSL.
//!
//! The ports of PyMOTW-3's TLS echo server and client: chapter 8's streams
//! pair, with a certificate. TLS has no half-close, so the client ends its
//! message with a NUL byte instead of EOF. The server makes a self-signed
//! certificate at start-up unless it is given one, and writes the
//! certificate (never the key) where the client looks for it by default.
//! `cargo run -p ch09-tls` runs both in one process, on a free port.
//!
//! The command lines: `echo_server_ssl [HOST] [PORT] [--certfile FILE
//! --keyfile FILE] [--write-cert PATH]` and `echo_client_ssl [HOST] [PORT]
//! [SECONDS] [--cafile PATH]`, where the certificate's path defaults to
//! [`certificate::default_path`] for both, and the client checks the
//! server's certificate against HOST.
//!
//! [`first_cut`] is TLS without the loop: rustls over a blocking socket, one
//! thread per side.

pub mod certificate;
pub mod echo_client_ssl;
pub mod echo_server_ssl;
pub mod first_cut;

// The exercises: the reader's starters, or with the `solutions` feature the
// reference solutions, which live outside src/ to keep them out of the way.
#[cfg(not(feature = "solutions"))]
pub mod exercises;
#[cfg(feature = "solutions")]
#[path = "../solutions/mod.rs"]
pub mod exercises;

/// Python-style bytes, the clients' patience and the server's stop on
/// Ctrl-C, as in chapter 7.
pub use ch07_protocols::{bytes_repr, give_up_after, stop_on_signals};

use std::time::Duration;

/// A command line: positional arguments (`HOST PORT`), and options that
/// each take a value (`--cafile PATH`), in any order.
#[derive(Debug, Default)]
pub struct CommandLine {
    positional: Vec<String>,
    options: Vec<(String, String)>,
}

impl CommandLine {
    /// This process's arguments; `known` names the options it takes.
    pub fn from_args(known: &[&str]) -> Result<CommandLine, String> {
        CommandLine::parse(std::env::args().skip(1), known)
    }

    /// Splits `args` into positional arguments and options.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        known: &[&str],
    ) -> Result<CommandLine, String> {
        let mut args = args.into_iter();
        let mut line = CommandLine::default();
        while let Some(arg) = args.next() {
            if !arg.starts_with("--") {
                line.positional.push(arg);
            } else if !known.contains(&arg.as_str()) {
                let known = known.join(", ");
                return Err(format!("unknown option {arg}; known: {known}"));
            } else if let Some(value) = args.next() {
                line.options.push((arg, value));
            } else {
                return Err(format!("{arg} needs a value after it"));
            }
        }
        Ok(line)
    }

    /// `[HOST] [PORT]`, defaulting to `localhost 10000`, as in PyMOTW.
    pub fn address(&self) -> Result<(String, u16), String> {
        let host = self.positional.first();
        let host = host.map_or("localhost", String::as_str).to_owned();
        let port = ch07_protocols::port_from(self.positional.get(1).cloned())?;
        Ok((host, port))
    }

    /// A client's patience: the third positional argument, in seconds.
    pub fn patience(&self) -> Result<Duration, String> {
        ch07_protocols::patience_from(self.positional.get(2).cloned())
    }

    /// The value of the option `name`, if it was given (the last one wins).
    pub fn option(&self, name: &str) -> Option<&str> {
        let mut given = self.options.iter().rev();
        let (_, value) = given.find(|(option, _)| option == name)?;
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::CommandLine;

    fn parse(args: &[&str]) -> Result<CommandLine, String> {
        let args = args.iter().map(|arg| arg.to_string());
        CommandLine::parse(args, &["--cafile"])
    }

    #[test]
    fn options_go_anywhere_among_the_positional_arguments() {
        let line =
            parse(&["--cafile", "ca.pem", "127.0.0.1", "8443", "0.5"]).unwrap();
        assert_eq!(line.address().unwrap(), ("127.0.0.1".to_owned(), 8443));
        assert_eq!(line.patience().unwrap().as_millis(), 500);
        assert_eq!(line.option("--cafile"), Some("ca.pem"));
        let line = parse(&["localhost", "--cafile", "ca.pem", "9000"]).unwrap();
        assert_eq!(line.address().unwrap(), ("localhost".to_owned(), 9000));
    }

    #[test]
    fn no_arguments_are_pymotw_s_defaults() {
        let line = parse(&[]).unwrap();
        assert_eq!(line.address().unwrap(), ("localhost".to_owned(), 10000));
        assert_eq!(line.option("--cafile"), None);
    }

    #[test]
    fn a_bad_option_says_what_is_wrong() {
        let unknown = parse(&["--ca", "x"]).unwrap_err();
        assert_eq!(unknown, "unknown option --ca; known: --cafile");
        let no_value = parse(&["localhost", "--cafile"]).unwrap_err();
        assert_eq!(no_value, "--cafile needs a value after it");
    }
}
