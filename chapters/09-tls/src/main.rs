//! `cargo run -p ch09-tls`: the TLS echo server and client together, in one
//! process, on a free port, with a certificate made for the run: no file is
//! written.

use ch09_tls::{certificate, echo_client_ssl, echo_server_ssl};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let issued = certificate::self_signed()?;
    let (server_context, client_context) =
        (issued.server_context()?, issued.client_context()?);
    aio::run(async move {
        let server =
            echo_server_ssl::start("localhost", 0, server_context).await?;
        let outcome = echo_client_ssl::echo_client(
            "localhost",
            server.port(),
            client_context,
        )
        .await;
        server.close();
        outcome
    })?
}
