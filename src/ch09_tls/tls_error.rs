//! Chapter 9 (TLS): what can go wrong with TLS, as one typed error whose
//! message says what happened and what to do.
//!
//! rustls reports a failed handshake as, say, `invalid peer certificate:
//! UnknownIssuer`. That is exact, but it doesn't say which name was checked,
//! or what to change. [`TlsError`] turns the cases a program meets into one
//! line each, and keeps the rest as rustls said them. It travels inside an
//! `io::Error`, like Python's `ssl.SSLError` (an `OSError`), so every I/O
//! call keeps its `io::Result`; [`TlsError::of`] finds it again.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::Duration;

// ANCHOR: tls_error
/// Why TLS failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum TlsError {
    /// The server's certificate is not signed by a CA we trust.
    UnknownCa {
        /// The name we were checking.
        server_name: String,
    },
    /// The server's certificate is for other names.
    WrongHost {
        /// The name we asked for.
        expected: String,
        /// The names the certificate is for.
        presented: Vec<String>,
    },
    /// The peer's certificate has expired, or is not valid yet.
    Expired {
        /// What rustls said about the dates.
        detail: String,
    },
    /// The peer sent a fatal alert: it refused the handshake.
    PeerAlert {
        /// The alert, as rustls names it (`UnknownCA`, `BadCertificate`).
        alert: String,
    },
    /// What came in is not TLS: a plain-TCP peer on a TLS port, or a
    /// plain-TCP server at the address a TLS client dialled.
    NotTls {
        /// What rustls said.
        detail: String,
        /// Whether the peer is the server (we are the client).
        peer_is_server: bool,
    },
    /// The handshake did not finish in time.
    HandshakeTimeout(Duration),
    /// The peer did not answer our `close_notify` in time.
    ShutdownTimeout(Duration),
    /// The peer closed the connection without a `close_notify`: what we
    /// read may have been cut short.
    NoCloseNotify,
    /// The peer closed the connection in the middle of the handshake.
    ClosedDuringHandshake,
    /// A certificate or key file could not be used.
    File {
        /// The file.
        path: PathBuf,
        /// What was wrong with it.
        problem: String,
    },
    /// The context is for the other side: a server context to connect, or a
    /// client context to serve.
    WrongSide {
        /// What the call needed.
        needed: &'static str,
    },
    /// The host name is not one a certificate can be checked against.
    InvalidServerName(String),
    /// Anything else rustls reported.
    Protocol(rustls::Error),
}
// ANCHOR_END: tls_error

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsError::UnknownCa { server_name } => write!(
                f,
                "the certificate of {server_name:?} is not signed by a CA we \
                 trust; pass the CA that signed it (the client's --cafile, \
                 or SslContext::client_with_ca_file)"
            ),
            TlsError::WrongHost { expected, presented } => write!(
                f,
                "the certificate is not valid for {expected:?} (it is for {}); \
                 connect with a name it is for, or set server_hostname",
                if presented.is_empty() {
                    "no DNS name".to_owned()
                } else {
                    presented.join(", ")
                }
            ),
            TlsError::Expired { detail } => write!(
                f,
                "the certificate is out of date ({detail}); renew it, or \
                 check this machine's clock"
            ),
            TlsError::PeerAlert { alert } => write!(
                f,
                "the peer refused the TLS handshake with the alert {alert}; \
                 {}",
                alert_advice(alert)
            ),
            TlsError::NotTls { detail, peer_is_server: false } => write!(
                f,
                "the peer did not speak TLS ({detail}); is it a plain-TCP \
                 client on a TLS port?"
            ),
            TlsError::NotTls { detail, peer_is_server: true } => write!(
                f,
                "the server did not speak TLS ({detail}); is it a plain-TCP \
                 server? Check the port, or connect without ssl"
            ),
            TlsError::HandshakeTimeout(limit) => write!(
                f,
                "the TLS handshake did not finish within {limit:?}; the peer \
                 may not speak TLS, or may be stuck (raise \
                 ssl_handshake_timeout if it is only slow)"
            ),
            TlsError::ShutdownTimeout(limit) => write!(
                f,
                "the peer did not answer our close_notify within {limit:?}; \
                 the connection was aborted (raise ssl_shutdown_timeout if \
                 it is only slow)"
            ),
            TlsError::NoCloseNotify => write!(
                f,
                "the peer closed the connection without a TLS close_notify, \
                 so what was read may be cut short; a TLS peer should close \
                 its side properly"
            ),
            TlsError::ClosedDuringHandshake => write!(
                f,
                "the peer closed the connection during the TLS handshake; it \
                 may not trust our certificate, or may not speak TLS"
            ),
            TlsError::File { path, problem } => {
                write!(f, "{}: {problem}", path.display())
            }
            TlsError::WrongSide { needed } => write!(
                f,
                "this call needs {needed}; make it with the matching \
                 SslContext constructor"
            ),
            TlsError::InvalidServerName(name) => write!(
                f,
                "{name:?} is not a host name or IP address a certificate can \
                 be checked against; pass the server's name as \
                 server_hostname"
            ),
            TlsError::Protocol(error) => write!(f, "TLS failed: {error}"),
        }
    }
}

/// What to do about an alert the peer sent.
fn alert_advice(alert: &str) -> &'static str {
    match alert {
        "UnknownCA" | "BadCertificate" | "CertificateUnknown" => {
            "it does not trust our certificate: give it the CA that signed \
             ours"
        }
        "CertificateExpired" => "our certificate has expired: renew it",
        "ProtocolVersion" | "HandshakeFailure" | "InsufficientSecurity" => {
            "we share no TLS version or cipher suite with it"
        }
        _ => "see the peer's own log for why",
    }
}

impl std::error::Error for TlsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TlsError::Protocol(error) => Some(error),
            _ => None,
        }
    }
}

impl TlsError {
    /// Reads what rustls reported. `server_name` is the name a client was
    /// checking, for the messages about certificates.
    pub(crate) fn from_rustls(
        error: rustls::Error,
        server_name: Option<&str>,
        handshaking: bool,
    ) -> TlsError {
        use rustls::CertificateError as Cert;
        let name = server_name.unwrap_or("the peer").to_owned();
        match error {
            rustls::Error::InvalidCertificate(certificate) => {
                match certificate {
                    // A CA of the same name, but another key, signed it.
                    Cert::UnknownIssuer | Cert::BadSignature => {
                        TlsError::UnknownCa { server_name: name }
                    }
                    Cert::NotValidForName => TlsError::WrongHost {
                        expected: name,
                        presented: Vec::new(),
                    },
                    Cert::NotValidForNameContext { presented, .. } => {
                        TlsError::WrongHost {
                            expected: name,
                            presented: presented
                                .iter()
                                .map(|name| bare(name))
                                .collect(),
                        }
                    }
                    certificate @ (Cert::Expired
                    | Cert::ExpiredContext { .. }
                    | Cert::NotValidYet
                    | Cert::NotValidYetContext { .. }) => TlsError::Expired {
                        detail: describe_dates(&certificate),
                    },
                    other => TlsError::Protocol(
                        rustls::Error::InvalidCertificate(other),
                    ),
                }
            }
            rustls::Error::AlertReceived(alert) => {
                TlsError::PeerAlert { alert: format!("{alert:?}") }
            }
            error @ (rustls::Error::InvalidMessage(_)
            | rustls::Error::InappropriateMessage { .. }
            | rustls::Error::InappropriateHandshakeMessage {
                ..
            }) if handshaking => TlsError::NotTls {
                detail: error.to_string(),
                peer_is_server: server_name.is_some(),
            },
            other => TlsError::Protocol(other),
        }
    }

    /// The `TlsError` inside `error`, if it carries one.
    pub fn of(error: &io::Error) -> Option<&TlsError> {
        error.get_ref()?.downcast_ref::<TlsError>()
    }

    /// The `io::ErrorKind` it travels as.
    fn kind(&self) -> io::ErrorKind {
        match self {
            TlsError::HandshakeTimeout(_) | TlsError::ShutdownTimeout(_) => {
                io::ErrorKind::TimedOut
            }
            TlsError::NoCloseNotify => io::ErrorKind::UnexpectedEof,
            TlsError::ClosedDuringHandshake => io::ErrorKind::ConnectionReset,
            TlsError::File { .. }
            | TlsError::WrongSide { .. }
            | TlsError::InvalidServerName(_) => io::ErrorKind::InvalidInput,
            _ => io::ErrorKind::InvalidData,
        }
    }
}

/// A presented name as rustls spells it (`DnsName("localhost")`), bare.
fn bare(presented: &str) -> String {
    match presented.split('"').nth(1) {
        Some(inner) => inner.to_owned(),
        None => presented.to_owned(),
    }
}

/// Says how a certificate's dates are wrong, with the times when rustls
/// gives them (seconds since the Unix epoch).
fn describe_dates(error: &rustls::CertificateError) -> String {
    use rustls::CertificateError as Cert;
    match error {
        Cert::ExpiredContext { time, not_after } => format!(
            "it expired at {} and it is now {}",
            not_after.as_secs(),
            time.as_secs()
        ),
        Cert::NotValidYetContext { time, not_before } => format!(
            "it is valid from {} and it is now {}",
            not_before.as_secs(),
            time.as_secs()
        ),
        Cert::NotValidYet => "it is not valid yet".to_owned(),
        _ => "it has expired".to_owned(),
    }
}

impl From<TlsError> for io::Error {
    fn from(error: TlsError) -> io::Error {
        io::Error::new(error.kind(), error)
    }
}
