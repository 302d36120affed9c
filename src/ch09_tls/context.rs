//! Chapter 9 (TLS): what a TLS connection is set up with: an [`SslContext`]
//! (whose certificates, and which CAs to trust: Python's `ssl.SSLContext`)
//! and the [`Ssl`] options of one call (`ssl=`, `server_hostname=`,
//! `ssl_handshake_timeout=` and `ssl_shutdown_timeout=` in asyncio).
//!
//! The crypto is rustls's `ring` provider, chosen once here. Every config is
//! built with it explicitly, so nothing depends on a process-wide default.

use crate::ch09_tls::tls_error::TlsError;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// How long a handshake may take (asyncio's `ssl_handshake_timeout`).
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(60);

/// How long we wait for the peer's `close_notify` after sending ours
/// (asyncio's `ssl_shutdown_timeout`).
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(30);

// ANCHOR: ssl_context
/// The certificates and trust of one side of TLS (Python's `SSLContext`). A
/// client context says which CAs to trust; a server context holds the
/// certificate chain and its private key. Cloning is cheap: the config is
/// shared.
#[derive(Clone)]
pub enum SslContext {
    /// For connecting: `open_connection_ssl`, `create_connection_ssl`.
    Client(Arc<rustls::ClientConfig>),
    /// For serving: `start_server_ssl`, `create_server_ssl`.
    Server(Arc<rustls::ServerConfig>),
}

impl SslContext {
    /// A client that trusts the CA certificates in the PEM file at `path`
    /// (Python's `create_default_context(cafile=path)`).
    pub fn client_with_ca_file(
        path: impl AsRef<Path>,
    ) -> Result<SslContext, TlsError> {
        let path = path.as_ref();
        let pem = std::fs::read(path).map_err(|error| TlsError::File {
            path: path.to_owned(),
            problem: format!("could not read the CA file: {error}"),
        })?;
        SslContext::client_with_ca_pem(&pem).map_err(|error| match error {
            TlsError::File { problem, .. } => {
                TlsError::File { path: path.to_owned(), problem }
            }
            other => other,
        })
    }

    /// A client that trusts the CA certificates in `pem`.
    pub fn client_with_ca_pem(pem: &[u8]) -> Result<SslContext, TlsError> {
        let mut roots = rustls::RootCertStore::empty();
        for certificate in CertificateDer::pem_slice_iter(pem) {
            let certificate =
                certificate.map_err(|error| pem_problem(&error))?;
            roots.add(certificate).map_err(TlsError::Protocol)?;
        }
        if roots.is_empty() {
            return Err(pem_problem("it holds no CERTIFICATE block"));
        }
        let config = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(TlsError::Protocol)?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(SslContext::Client(Arc::new(config)))
    }

    /// A server with the certificate chain in the PEM file `certfile` and
    /// its key in `keyfile` (Python's `load_cert_chain(certfile, keyfile)`).
    pub fn server_from_files(
        certfile: impl AsRef<Path>,
        keyfile: impl AsRef<Path>,
    ) -> Result<SslContext, TlsError> {
        let read = |path: &Path, what: &str| {
            std::fs::read(path).map_err(|error| TlsError::File {
                path: path.to_owned(),
                problem: format!("could not read the {what} file: {error}"),
            })
        };
        let (certfile, keyfile) = (certfile.as_ref(), keyfile.as_ref());
        let chain = certificates(&read(certfile, "certificate")?).map_err(
            |problem| TlsError::File { path: certfile.to_owned(), problem },
        )?;
        let key = private_key(&read(keyfile, "key")?).map_err(|problem| {
            TlsError::File { path: keyfile.to_owned(), problem }
        })?;
        SslContext::server(chain, key)
    }

    /// A server with the certificate chain and key given as PEM text.
    pub fn server_from_pem(
        certificate_pem: &[u8],
        key_pem: &[u8],
    ) -> Result<SslContext, TlsError> {
        let chain = certificates(certificate_pem).map_err(pem_problem)?;
        let key = private_key(key_pem).map_err(pem_problem)?;
        SslContext::server(chain, key)
    }

    fn server(
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
    ) -> Result<SslContext, TlsError> {
        let config = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(TlsError::Protocol)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(TlsError::Protocol)?;
        Ok(SslContext::Server(Arc::new(config)))
    }

    /// Whether this context is for serving.
    pub fn is_server(&self) -> bool {
        matches!(self, SslContext::Server(_))
    }
}
// ANCHOR_END: ssl_context

/// The one crypto provider aio's contexts are built with.
pub(crate) fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn pem_problem(problem: impl std::fmt::Display) -> TlsError {
    TlsError::File {
        path: "(PEM text)".into(),
        problem: format!("not usable PEM: {problem}"),
    }
}

fn certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    let chain = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| format!("not a PEM certificate: {error}"))?;
    if chain.is_empty() {
        return Err("it holds no CERTIFICATE block; is it the key?".to_owned());
    }
    Ok(chain)
}

fn private_key(pem: &[u8]) -> Result<PrivateKeyDer<'static>, String> {
    PrivateKeyDer::from_pem_slice(pem).map_err(|error| {
        format!(
            "no private key in it ({error}); it needs a PRIVATE KEY block, \
             and is it the certificate?"
        )
    })
}

// ANCHOR: ssl_options
/// The TLS options of one call: asyncio's `ssl=` and its companions.
#[derive(Clone)]
pub struct Ssl {
    pub(crate) context: SslContext,
    pub(crate) server_hostname: Option<String>,
    pub(crate) handshake_timeout: Duration,
    pub(crate) shutdown_timeout: Duration,
}

impl Ssl {
    /// TLS with `context` and asyncio's default timeouts; a client checks
    /// the certificate against the host it connects to.
    pub fn new(context: SslContext) -> Ssl {
        Ssl {
            context,
            server_hostname: None,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
        }
    }

    /// Checks the server's certificate against `name` instead of the host
    /// connected to (asyncio's `server_hostname`). Clients only.
    pub fn server_hostname(mut self, name: impl Into<String>) -> Ssl {
        self.server_hostname = Some(name.into());
        self
    }

    /// How long the handshake may take (default 60 s).
    pub fn handshake_timeout(mut self, limit: Duration) -> Ssl {
        self.handshake_timeout = limit;
        self
    }

    /// How long to wait for the peer's `close_notify` (default 30 s).
    pub fn shutdown_timeout(mut self, limit: Duration) -> Ssl {
        self.shutdown_timeout = limit;
        self
    }

    /// A client connection to `host` (or `server_hostname`), or the reason
    /// there can't be one.
    pub(crate) fn client_connection(
        &self,
        host: &str,
    ) -> Result<(rustls::Connection, String), TlsError> {
        let SslContext::Client(config) = &self.context else {
            return Err(TlsError::WrongSide {
                needed: "a client context (SslContext::client_with_ca_file)",
            });
        };
        let name = self.server_hostname.as_deref().unwrap_or(host);
        let server_name = ServerName::try_from(name.to_owned())
            .map_err(|_| TlsError::InvalidServerName(name.to_owned()))?;
        let mut connection =
            rustls::ClientConnection::new(config.clone(), server_name)
                .map_err(TlsError::Protocol)?;
        // The loop flushes every record to the transport at once, and the
        // transport's own water marks tell the writer when to wait.
        connection.set_buffer_limit(None);
        Ok((connection.into(), name.to_owned()))
    }

    /// A server connection.
    pub(crate) fn server_connection(
        &self,
    ) -> Result<rustls::Connection, TlsError> {
        let SslContext::Server(config) = &self.context else {
            return Err(TlsError::WrongSide {
                needed: "a server context (SslContext::server_from_files)",
            });
        };
        if self.server_hostname.is_some() {
            return Err(TlsError::WrongSide {
                needed: "no server_hostname: it is for clients",
            });
        }
        let mut connection = rustls::ServerConnection::new(config.clone())
            .map_err(TlsError::Protocol)?;
        connection.set_buffer_limit(None);
        Ok(connection.into())
    }
}

impl From<SslContext> for Ssl {
    fn from(context: SslContext) -> Ssl {
        Ssl::new(context)
    }
}
// ANCHOR_END: ssl_options

impl std::fmt::Debug for SslContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SslContext::Client(_) => "SslContext::Client",
            SslContext::Server(_) => "SslContext::Server",
        })
    }
}

impl std::fmt::Debug for Ssl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ssl")
            .field("context", &self.context)
            .field("server_hostname", &self.server_hostname)
            .field("handshake_timeout", &self.handshake_timeout)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .finish()
    }
}
