//! Exercise 2 (medium): ALPN. aio's contexts hold rustls configs, and ALPN
//! is one field of a config: each context here is aio's own, with that field
//! set.

use aio::rustls;
use aio::{SslContext, TlsError};
use std::sync::Arc;

// ANCHOR: alpn
/// A client context that trusts the CA certificate(s) in `ca_pem` and
/// offers `protocols` (most preferred first) by ALPN.
pub fn client_context(
    ca_pem: &str,
    protocols: &[&str],
) -> Result<SslContext, TlsError> {
    match SslContext::client_with_ca_pem(ca_pem.as_bytes())? {
        SslContext::Client(shared) => {
            // The config is shared (an `Arc`): change a copy of it.
            let mut config = rustls::ClientConfig::clone(&shared);
            config.alpn_protocols = on_the_wire(protocols);
            Ok(SslContext::Client(Arc::new(config)))
        }
        SslContext::Server(_) => Err(TlsError::WrongSide {
            needed: "a client context (SslContext::client_with_ca_pem)",
        }),
    }
}

/// A server context with the certificate and key in `cert_pem` and
/// `key_pem`, which accepts `protocols` (most preferred first) by ALPN and
/// refuses a client that offers none of them.
pub fn server_context(
    cert_pem: &str,
    key_pem: &str,
    protocols: &[&str],
) -> Result<SslContext, TlsError> {
    let (cert, key) = (cert_pem.as_bytes(), key_pem.as_bytes());
    match SslContext::server_from_pem(cert, key)? {
        SslContext::Server(shared) => {
            let mut config = rustls::ServerConfig::clone(&shared);
            config.alpn_protocols = on_the_wire(protocols);
            Ok(SslContext::Server(Arc::new(config)))
        }
        SslContext::Client(_) => Err(TlsError::WrongSide {
            needed: "a server context (SslContext::server_from_pem)",
        }),
    }
}

/// ALPN's names as the handshake carries them: bytes, in order.
fn on_the_wire(protocols: &[&str]) -> Vec<Vec<u8>> {
    protocols.iter().map(|name| name.as_bytes().to_vec()).collect()
}
// ANCHOR_END: alpn
