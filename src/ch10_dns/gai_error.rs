//! Chapter 10 (DNS): the error of a failed lookup, like Python's
//! `socket.gaierror`.
//!
//! A lookup fails with a code from the C library (`EAI_NONAME`: no such
//! name), and the C library's message for it ("Name or service not known").
//! Python's `gaierror` carries both, and not the name; [`GaiError`] carries
//! the name too, since a program that looks up ten names wants to know which
//! one failed. A name that could never be looked up (empty, with a NUL byte,
//! a label over 63 bytes) is refused before any lookup, with its own reason.

use std::ffi::CStr;
use std::fmt;
use std::io;

// ANCHOR: gai_error
/// A lookup that failed: why, and for which name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GaiError {
    name: String,
    reason: GaiReason,
}

/// Why a lookup failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GaiReason {
    /// The resolver said no: an `EAI_*` code and the C library's message for
    /// it (`gai_strerror`). The stub resolver uses the same codes.
    Code {
        /// The `EAI_*` code, as `libc` numbers it (`libc::EAI_NONAME`).
        code: i32,
        /// What the C library says the code means.
        message: String,
    },
    /// The name can never be looked up; nothing was asked.
    InvalidName(&'static str),
}
// ANCHOR_END: gai_error

impl GaiError {
    /// A failure with an `EAI_*` code; the message is the C library's.
    pub fn from_code(name: &str, code: i32) -> GaiError {
        GaiError {
            name: name.to_owned(),
            reason: GaiReason::Code { code, message: c_library_message(code) },
        }
    }

    /// A name that can never be looked up.
    pub fn invalid_name(name: &str, why: &'static str) -> GaiError {
        GaiError { name: name.to_owned(), reason: GaiReason::InvalidName(why) }
    }

    /// The name (or address) that failed.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Why it failed.
    pub fn reason(&self) -> &GaiReason {
        &self.reason
    }

    /// The `EAI_*` code, if the resolver gave one.
    pub fn code(&self) -> Option<i32> {
        match self.reason {
            GaiReason::Code { code, .. } => Some(code),
            GaiReason::InvalidName(_) => None,
        }
    }

    /// What to do about it, for the end of the message.
    fn advice(&self) -> &'static str {
        match self.code() {
            Some(libc::EAI_NONAME) | Some(libc::EAI_NODATA) => {
                "check the spelling, and /etc/hosts for a local name"
            }
            Some(libc::EAI_AGAIN) => {
                "the name server did not answer; check the network and the \
                 nameserver lines of /etc/resolv.conf, then try again"
            }
            Some(libc::EAI_SERVICE) => {
                "use a port number, or a service name from /etc/services"
            }
            Some(libc::EAI_FAMILY) | Some(libc::EAI_SOCKTYPE) => {
                "ask for AF_INET, AF_INET6 or any family, and a stream or \
                 datagram socket"
            }
            Some(libc::EAI_FAIL) => {
                "the name server failed for good; ask its administrator"
            }
            _ => "check the name",
        }
    }
}

/// `gai_strerror`: the C library's words for an `EAI_*` code.
fn c_library_message(code: i32) -> String {
    // SAFETY: `gai_strerror` takes any code and returns a pointer to a
    // NUL-terminated string that lives for the whole program (glibc and musl
    // return static strings, "Unknown error" for codes they do not know), and
    // we copy it before returning.
    let message = unsafe { CStr::from_ptr(libc::gai_strerror(code)) };
    message.to_string_lossy().into_owned()
}

impl fmt::Display for GaiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            GaiReason::Code { message, .. } => write!(
                f,
                "could not look up {:?}: {message}; {}",
                self.name,
                self.advice()
            ),
            GaiReason::InvalidName(why) => write!(
                f,
                "could not look up {:?}: {why}; no lookup was made",
                self.name
            ),
        }
    }
}

impl std::error::Error for GaiError {}

// ANCHOR: into_io
/// A lookup error as an `io::Error`, for the functions that return those
/// (`create_connection`). The `GaiError` rides inside: get it back with
/// `error.get_ref()` and `downcast_ref::<GaiError>()`.
impl From<GaiError> for io::Error {
    fn from(error: GaiError) -> io::Error {
        let kind = match error.code() {
            Some(libc::EAI_NONAME) | Some(libc::EAI_NODATA) => {
                io::ErrorKind::NotFound
            }
            Some(libc::EAI_AGAIN) => io::ErrorKind::TimedOut,
            Some(libc::EAI_MEMORY) => io::ErrorKind::OutOfMemory,
            Some(_) => io::ErrorKind::Other,
            None => io::ErrorKind::InvalidInput,
        };
        io::Error::new(kind, error)
    }
}
// ANCHOR_END: into_io

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_name_and_uses_the_c_librarys_words() {
        let error = GaiError::from_code("nowhere.invalid", libc::EAI_NONAME);
        let text = error.to_string();
        assert!(text.starts_with("could not look up \"nowhere.invalid\": "));
        assert!(text.contains(&c_library_message(libc::EAI_NONAME)));
        assert!(text.contains("check the spelling"), "{text}");
        let io_error = io::Error::from(error.clone());
        assert_eq!(io_error.kind(), io::ErrorKind::NotFound);
        let inner = io_error.get_ref().and_then(|e| e.downcast_ref());
        assert_eq!(inner, Some(&error));
    }
}
