//! Exercise 3 (medium): mutual TLS. aio's own constructors make contexts
//! without client certificates, so these build the rustls configs
//! themselves, with the same crypto provider, and wrap them in
//! `SslContext`.

use aio::TlsError;
use aio::rustls::pki_types::pem::PemObject;
use aio::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use aio::rustls::server::WebPkiClientVerifier;
use aio::rustls::{self, RootCertStore};
use aio::{ExtraInfo, PeerCertificate, SslContext, StreamReader, StreamWriter};
use std::sync::Arc;

// ANCHOR: contexts
/// A server context with the certificate and key in `cert_pem` and
/// `key_pem`, which requires every client to present a certificate signed
/// by a CA in `client_ca_pem`, and refuses the handshake otherwise.
pub fn server_context(
    cert_pem: &str,
    key_pem: &str,
    client_ca_pem: &str,
) -> Result<SslContext, TlsError> {
    let client_cas = Arc::new(roots(client_ca_pem)?);
    let verifier =
        WebPkiClientVerifier::builder_with_provider(client_cas, provider())
            .build()
            .map_err(|error| pem_problem("the client CA", error))?;
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Protocol)?
        .with_client_cert_verifier(verifier)
        .with_single_cert(certificates(cert_pem)?, private_key(key_pem)?)
        .map_err(TlsError::Protocol)?;
    Ok(SslContext::Server(Arc::new(config)))
}

/// A client context that trusts the CA(s) in `ca_pem` and presents the
/// certificate in `cert_pem`, with its key in `key_pem`.
pub fn client_context(
    ca_pem: &str,
    cert_pem: &str,
    key_pem: &str,
) -> Result<SslContext, TlsError> {
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Protocol)?
        .with_root_certificates(roots(ca_pem)?)
        .with_client_auth_cert(certificates(cert_pem)?, private_key(key_pem)?)
        .map_err(TlsError::Protocol)?;
    Ok(SslContext::Client(Arc::new(config)))
}
// ANCHOR_END: contexts

// ANCHOR: greet
/// The server's coroutine for one connection: writes `hello NAME\n`, where
/// NAME is the first DNS name of the client's certificate (or `stranger`
/// if it has none), and closes.
pub async fn greet(_reader: StreamReader, writer: StreamWriter) {
    // The handshake is done before this runs: the certificate, if the
    // context required one, has been checked against the client CA.
    let name = match writer.get_extra_info("peercert") {
        Some(ExtraInfo::PeerCertificate(der)) => PeerCertificate::parse(&der)
            .ok()
            .and_then(|certificate| certificate.dns_names.into_iter().next()),
        _ => None,
    };
    let name = name.unwrap_or_else(|| "stranger".to_owned());
    let _ = writer.write(format!("hello {name}\n").as_bytes());
    writer.close();
}
// ANCHOR_END: greet

/// The crypto provider aio's own contexts use.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The CA certificates in `pem`, as a trust store.
fn roots(pem: &str) -> Result<RootCertStore, TlsError> {
    let mut roots = RootCertStore::empty();
    for certificate in certificates(pem)? {
        roots.add(certificate).map_err(TlsError::Protocol)?;
    }
    Ok(roots)
}

/// The certificates in `pem`: at least one.
fn certificates(pem: &str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let chain = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| pem_problem("a certificate", error))?;
    if chain.is_empty() {
        return Err(pem_problem("a certificate", "no CERTIFICATE block"));
    }
    Ok(chain)
}

fn private_key(pem: &str) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_slice(pem.as_bytes())
        .map_err(|error| pem_problem("a private key", error))
}

fn pem_problem(what: &str, problem: impl std::fmt::Display) -> TlsError {
    TlsError::File {
        path: "(PEM text)".into(),
        problem: format!("not usable as {what}: {problem}"),
    }
}
