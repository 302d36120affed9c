//! Exercise 3 (medium): mutual TLS, where the client shows a certificate
//! too.
//!
//! Write the two contexts, building rustls configs yourself: a server that
//! requires a client certificate signed by a given CA, and a client that
//! presents one; and `greet`, the server's coroutine, which greets the
//! client by the name in its certificate. The book's chapter 9 page
//! (`book/ch09-tls.md`, "Exercises") says more.

use aio::{SslContext, StreamReader, StreamWriter, TlsError};

/// A server context with the certificate and key in `cert_pem` and
/// `key_pem`, which requires every client to present a certificate signed
/// by a CA in `client_ca_pem`, and refuses the handshake otherwise.
pub fn server_context(
    cert_pem: &str,
    key_pem: &str,
    client_ca_pem: &str,
) -> Result<SslContext, TlsError> {
    // Your code here: a rustls `ServerConfig` with a client verifier
    // (`rustls::server::WebPkiClientVerifier`), in `SslContext::Server`.
    SslContext::server_from_pem(cert_pem.as_bytes(), key_pem.as_bytes())
}

/// A client context that trusts the CA(s) in `ca_pem` and presents the
/// certificate in `cert_pem`, with its key in `key_pem`.
pub fn client_context(
    ca_pem: &str,
    cert_pem: &str,
    key_pem: &str,
) -> Result<SslContext, TlsError> {
    // Your code here: a rustls `ClientConfig` with
    // `with_client_auth_cert`, in `SslContext::Client`.
    SslContext::client_with_ca_pem(ca_pem.as_bytes())
}

/// The server's coroutine for one connection: writes `hello NAME\n`, where
/// NAME is the first DNS name of the client's certificate (or `stranger`
/// if it has none), and closes.
pub async fn greet(reader: StreamReader, writer: StreamWriter) {
    // Your code here: `get_extra_info("peercert")`, read with
    // `aio::PeerCertificate::parse`.
    writer.close();
}
