//! Certificates made for the run, for the TLS tests (each includes this file
//! with `#[path]`). No key is ever written to the repository.

#![allow(dead_code)] // each test binary uses a different part

/// A certificate and its private key, as PEM text.
pub struct Issued {
    /// The certificate.
    pub cert_pem: String,
    /// Its private key.
    pub key_pem: String,
}

/// A self-signed certificate for `names`, valid from a day ago for a year.
pub fn self_signed(names: &[&str]) -> Issued {
    issue(names, -1, 365)
}

/// A self-signed certificate for `names` that expired yesterday.
pub fn expired(names: &[&str]) -> Issued {
    issue(names, -30, -1)
}

fn issue(names: &[&str], from_days: i64, to_days: i64) -> Issued {
    let names: Vec<String> =
        names.iter().map(|name| name.to_string()).collect();
    let mut params = rcgen::CertificateParams::new(names).expect("names");
    // A name of its own, as a real CA has, so that another certificate's
    // issuer never matches it by accident.
    static ISSUED: std::sync::atomic::AtomicUsize =
        std::sync::atomic::AtomicUsize::new(0);
    let serial = ISSUED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        format!("aio test CA {} {serial}", std::process::id()),
    );
    let now = std::time::SystemTime::now();
    let day = std::time::Duration::from_secs(86_400);
    let at = |days: i64| {
        if days < 0 {
            now - day * days.unsigned_abs() as u32
        } else {
            now + day * days as u32
        }
    };
    params.not_before = at(from_days).into();
    params.not_after = at(to_days).into();
    let key = rcgen::KeyPair::generate().expect("a key");
    let cert = params.self_signed(&key).expect("signed");
    Issued { cert_pem: cert.pem(), key_pem: key.serialize_pem() }
}

/// The server context and a client context that trusts it.
pub fn contexts(issued: &Issued) -> (aio::SslContext, aio::SslContext) {
    let server = aio::SslContext::server_from_pem(
        issued.cert_pem.as_bytes(),
        issued.key_pem.as_bytes(),
    )
    .expect("a server context");
    let client =
        aio::SslContext::client_with_ca_pem(issued.cert_pem.as_bytes())
            .expect("a client context");
    (server, client)
}
