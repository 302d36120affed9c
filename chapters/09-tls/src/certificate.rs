//! The server's certificate, made at start-up with rcgen: self-signed, for
//! the names a client on this machine connects with.

use std::path::PathBuf;

/// The names the certificate is for. rcgen makes the two addresses
/// IP-address names and `localhost` a DNS name, so a client that connects
/// to any of them can check the certificate against it.
pub const NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// A certificate and its private key, as PEM text.
#[derive(Debug)]
pub struct Issued {
    /// The certificate: what a client needs to trust the server.
    pub cert_pem: String,
    /// The private key: only the server has it.
    pub key_pem: String,
}

// ANCHOR: certificate
/// A new self-signed certificate for [`NAMES`], and its key.
pub fn self_signed() -> Result<Issued, rcgen::Error> {
    let names = NAMES.map(str::to_owned).to_vec();
    let issued = rcgen::generate_simple_self_signed(names)?;
    Ok(Issued {
        cert_pem: issued.cert.pem(),
        key_pem: issued.signing_key.serialize_pem(),
    })
}

/// Where the server writes its certificate, and the client reads it,
/// unless they are told otherwise.
pub fn default_path() -> PathBuf {
    std::env::temp_dir().join("aio-echo-server-ssl.pem")
}
// ANCHOR_END: certificate

impl Issued {
    /// A server context that presents this certificate.
    pub fn server_context(&self) -> Result<aio::SslContext, aio::TlsError> {
        let (cert, key) = (self.cert_pem.as_bytes(), self.key_pem.as_bytes());
        aio::SslContext::server_from_pem(cert, key)
    }

    /// A client context that trusts this certificate.
    pub fn client_context(&self) -> Result<aio::SslContext, aio::TlsError> {
        aio::SslContext::client_with_ca_pem(self.cert_pem.as_bytes())
    }
}
