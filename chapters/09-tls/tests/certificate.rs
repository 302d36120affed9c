//! The certificate the server makes is for each of its names, the two
//! addresses as IP-address names: a client checks it against any of them.
//! The connection goes to 127.0.0.1 each time; `server_hostname` says which
//! name to check, so this needs no IPv6 to check `::1`.

use ch09_tls::certificate::{self, Issued, NAMES};
use std::io;

/// Serves with `issued` and connects, checking the certificate against
/// `name`; gives the handshake's outcome.
fn connect_checking(issued: &Issued, name: &str) -> io::Result<()> {
    let (server_context, client_context) =
        (issued.server_context()?, issued.client_context()?);
    let name = name.to_owned();
    aio::run(async move {
        async fn hang_up(_: aio::StreamReader, writer: aio::StreamWriter) {
            writer.close();
        }
        let server =
            aio::start_server_ssl(hang_up, "127.0.0.1", 0, server_context)
                .await?;
        let ssl = aio::Ssl::new(client_context).server_hostname(name);
        let connected =
            aio::open_connection_ssl("127.0.0.1", server.port(), ssl).await;
        server.close();
        connected.map(|(_, writer)| writer.close())
    })
    .map_err(io::Error::other)?
}

#[test]
fn a_client_can_check_the_certificate_against_each_name() {
    let issued = certificate::self_signed().unwrap();
    for name in NAMES {
        connect_checking(&issued, name)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
    }
}

#[test]
fn another_name_is_refused() {
    let issued = certificate::self_signed().unwrap();
    let error = connect_checking(&issued, "example.com").unwrap_err();
    let error = aio::TlsError::of(&error).expect("a TLS error");
    assert!(matches!(error, aio::TlsError::WrongHost { .. }), "{error:?}");
}
