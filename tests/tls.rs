//! Chapter 9: TLS through the layer, end to end on real sockets.

#[path = "support/certificates.rs"]
mod certificates;

use aio::{ExtraInfo, StreamReader, StreamWriter};

#[test]
fn streams_echo_over_tls_and_report_what_was_negotiated() {
    let issued = certificates::self_signed(&["localhost"]);
    let (server_context, client_context) = certificates::contexts(&issued);
    let outcome = aio::run(async move {
        async fn echo(reader: StreamReader, writer: StreamWriter) {
            while let Ok(data) = reader.read(100).await {
                if data.is_empty() || writer.write(&data).is_err() {
                    break;
                }
                if data.ends_with(b"\0") {
                    break;
                }
            }
            writer.close();
        }
        let server =
            aio::start_server_ssl(echo, "127.0.0.1", 0, server_context).await?;
        let ssl = aio::Ssl::new(client_context).server_hostname("localhost");
        let (reader, writer) =
            aio::open_connection_ssl("127.0.0.1", server.port(), ssl).await?;
        writer.write(b"hello over TLS\0")?;
        let mut echoed = Vec::new();
        loop {
            let data = reader.read(100).await?;
            if data.is_empty() {
                break;
            }
            echoed.extend(data);
        }
        let version = writer.get_extra_info("version");
        let cipher = writer.get_extra_info("cipher");
        let names = match writer.get_extra_info("peercert") {
            Some(ExtraInfo::PeerCertificate(der)) => {
                aio::PeerCertificate::parse(&der)?.dns_names
            }
            other => panic!("no peercert: {other:?}"),
        };
        assert!(writer.write_eof().is_err(), "TLS has no half-close");
        writer.close();
        writer.wait_closed().await;
        server.close();
        Ok::<_, Box<dyn std::error::Error>>((echoed, version, cipher, names))
    })
    .unwrap()
    .unwrap();
    let (echoed, version, cipher, names) = outcome;
    assert_eq!(echoed, b"hello over TLS\0");
    assert_eq!(version, Some(ExtraInfo::Version("TLSv1.3".into())));
    assert!(
        matches!(&cipher, Some(ExtraInfo::Cipher { name, version, .. })
            if name.starts_with("TLS13_") && version == "TLSv1.3"),
        "{cipher:?}"
    );
    assert_eq!(names, vec!["localhost".to_owned()]);
}
