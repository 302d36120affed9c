//! Exercise 2 (medium): ALPN, choosing the application protocol during the
//! handshake.
//!
//! Write `client_context` and `server_context`: aio's contexts, with the
//! application protocols (`h2`, `http/1.1`, ...) each side offers, in order
//! of preference. rustls keeps them in its configs; aio's `SslContext` is
//! an `Arc` of one. The book's chapter 9 page (`book/ch09-tls.md`,
//! "Exercises") says more.

use aio::{SslContext, TlsError};

/// A client context that trusts the CA certificate(s) in `ca_pem` and
/// offers `protocols` (most preferred first) by ALPN.
pub fn client_context(
    ca_pem: &str,
    protocols: &[&str],
) -> Result<SslContext, TlsError> {
    // Your code here: the context `client_with_ca_pem` makes, with its
    // config's `alpn_protocols` set.
    SslContext::client_with_ca_pem(ca_pem.as_bytes())
}

/// A server context with the certificate and key in `cert_pem` and
/// `key_pem`, which accepts `protocols` (most preferred first) by ALPN and
/// refuses a client that offers none of them.
pub fn server_context(
    cert_pem: &str,
    key_pem: &str,
    protocols: &[&str],
) -> Result<SslContext, TlsError> {
    // Your code here: the same, for `server_from_pem`'s config.
    SslContext::server_from_pem(cert_pem.as_bytes(), key_pem.as_bytes())
}
