//! Chapter 9 (TLS): reading a peer's certificate: the names it is for, and
//! its serial number, as Python's `getpeercert()` shows them.
//!
//! rustls checks certificates with rustls-webpki, which parses them anyway;
//! this asks the same parser, instead of a second one, what they say.

use crate::ch09_tls::tls_error::TlsError;
use rustls::pki_types::CertificateDer;

/// A peer's certificate: `get_extra_info("peercert")`'s DER, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerCertificate {
    /// The DNS names it is for (its `subjectAltName` entries).
    pub dns_names: Vec<String>,
    /// Its serial number, in hex, as Python's `serialNumber`.
    pub serial_number: String,
    /// The certificate itself, DER-encoded.
    pub der: Vec<u8>,
}

impl PeerCertificate {
    /// Reads a DER-encoded certificate.
    pub fn parse(der: &[u8]) -> Result<PeerCertificate, TlsError> {
        let certificate = CertificateDer::from(der);
        let parsed =
            webpki::EndEntityCert::try_from(&certificate).map_err(|error| {
                TlsError::File {
                    path: "(peer certificate)".into(),
                    problem: format!("not a certificate: {error}"),
                }
            })?;
        let dns_names = parsed.valid_dns_names().map(str::to_owned).collect();
        let serial_number =
            parsed.serial().iter().map(|byte| format!("{byte:02X}")).collect();
        Ok(PeerCertificate { dns_names, serial_number, der: der.to_vec() })
    }
}
