//! `cargo run -p ch07-protocols`: the echo server and client together, in one
//! process, on a free port, so both sides of the conversation print in order.

use ch07_protocols::{echo_client_protocol, echo_server_protocol};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    aio::run(async {
        let server = echo_server_protocol::start("localhost", 0).await?;
        let outcome =
            echo_client_protocol::run("localhost", server.port()).await;
        // Give the server's side one more moment to finish its goodbyes.
        aio::sleep(std::time::Duration::from_millis(50)).await;
        server.close();
        outcome
    })?
}
