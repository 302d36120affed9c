//! The graders of chapter 9's exercises, one module per exercise.
//!
//! `cargo test -p ch09-tls --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.

mod peer_summary {
    use crate::grading;
    use aio::{ExtraInfo, StreamReader, StreamWriter, TlsError};
    use ch09_tls::exercises::peer_summary::peer_summary;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// What the server's side of each connection saw: version and cipher.
    type Seen = Rc<RefCell<Vec<(String, String)>>>;

    #[test]
    fn the_summary_is_what_the_server_settled_too() {
        let names = ["127.0.0.1", "localhost", "echo.aio.test"];
        let issued =
            rcgen::generate_simple_self_signed(names.map(String::from))
                .expect("a certificate");
        let cert_pem = issued.cert.pem();
        let key_pem = issued.signing_key.serialize_pem();
        grading::on_real_clock(async move {
            let context = aio::SslContext::server_from_pem(
                cert_pem.as_bytes(),
                key_pem.as_bytes(),
            )?;
            let seen = Seen::default();
            let record = seen.clone();
            let serve = move |_: StreamReader, writer: StreamWriter| {
                let version = match writer.get_extra_info("version") {
                    Some(ExtraInfo::Version(version)) => version,
                    other => format!("{other:?}"),
                };
                let cipher = match writer.get_extra_info("cipher") {
                    Some(ExtraInfo::Cipher { name, .. }) => name,
                    other => format!("{other:?}"),
                };
                record.borrow_mut().push((version, cipher));
                async move { writer.close() }
            };
            let server =
                aio::start_server_ssl(serve, "127.0.0.1", 0, context).await?;
            let summary =
                peer_summary("127.0.0.1", server.port(), &cert_pem).await?;
            // The server's side finishes its handshake a moment after ours.
            while seen.borrow().is_empty() {
                aio::sleep(std::time::Duration::from_millis(1)).await;
            }
            let (version, cipher) = seen.borrow()[0].clone();
            assert_eq!(
                summary.version, version,
                "the version should be the writer's \
                 get_extra_info(\"version\"), as the server sees it too"
            );
            assert_eq!(
                summary.cipher, cipher,
                "the cipher should be the name in the writer's \
                 get_extra_info(\"cipher\"), as the server sees it too"
            );
            let mut dns_names = summary.dns_names.clone();
            dns_names.sort();
            assert_eq!(
                dns_names,
                ["echo.aio.test", "localhost"],
                "the DNS names of the certificate (its IP address is not \
                 one): read get_extra_info(\"peercert\") with \
                 aio::PeerCertificate::parse"
            );
            server.close();
            Ok(())
        });
    }

    #[test]
    fn a_failed_handshake_keeps_its_tls_error() {
        let served = ch09_tls::certificate::self_signed().expect("made");
        let other = ch09_tls::certificate::self_signed().expect("made");
        grading::on_real_clock(async move {
            let context = served.server_context()?;
            let serve = |_: StreamReader, writer: StreamWriter| async move {
                writer.close()
            };
            let server =
                aio::start_server_ssl(serve, "127.0.0.1", 0, context).await?;
            let port = server.port();
            let error = peer_summary("127.0.0.1", port, &other.cert_pem)
                .await
                .expect_err("a certificate we don't trust must fail");
            assert!(
                matches!(
                    TlsError::of(&error),
                    Some(TlsError::UnknownCa { .. })
                ),
                "trusting the wrong CA should fail with the TlsError inside \
                 the io::Error (TlsError::UnknownCa), not {error:?}: pass \
                 errors on with `?`"
            );
            let error = peer_summary("127.0.0.1", port, "not a certificate")
                .await
                .expect_err("a CA that is not PEM must fail");
            assert!(
                matches!(TlsError::of(&error), Some(TlsError::File { .. })),
                "an unusable CA should fail with aio's TlsError::File, not \
                 {error:?}"
            );
            server.close();
            Ok(())
        });
    }
}

mod alpn {
    use crate::grading;
    use aio::{StreamReader, StreamWriter, TlsError};
    use ch09_tls::certificate::Issued;
    use ch09_tls::exercises::alpn::{client_context, server_context};

    /// What the grader's rustls server chose when the reader's client
    /// offered `offered` and it accepts `accepted`: the protocol's name or
    /// `none`, or the client's error.
    fn chosen_by_a_rustls_server(
        offered: &[&str],
        accepted: &[&str],
    ) -> std::io::Result<String> {
        let issued = ch09_tls::certificate::self_signed().expect("made");
        let (port, server) = grading::rustls_server(&issued, accepted);
        let context = client_context(&issued.cert_pem, offered)
            .expect("the client context is made");
        let heard = grading::on_real_clock(async move {
            Ok(hear_the_choice(port, context).await)
        });
        let _ = server.recv_timeout(grading::PATIENCE);
        heard
    }

    /// Connects with `context` and reads what the server says.
    async fn hear_the_choice(
        port: u16,
        context: aio::SslContext,
    ) -> std::io::Result<String> {
        let (reader, writer) =
            aio::open_connection_ssl("127.0.0.1", port, context).await?;
        let heard = reader.read_to_end().await?;
        writer.close();
        Ok(String::from_utf8_lossy(&heard).into_owned())
    }

    #[test]
    fn the_client_offers_every_protocol_it_is_given() {
        for (offered, accepted, expected) in [
            (&["h2", "http/1.1"][..], &["http/1.1"][..], "http/1.1"),
            (&["h2", "http/1.1"][..], &["h2"][..], "h2"),
        ] {
            let chosen = chosen_by_a_rustls_server(offered, accepted)
                .expect("the handshake succeeds");
            assert_eq!(
                chosen, expected,
                "a client offering {offered:?} to a server that accepts \
                 {accepted:?} should get {expected:?} (`none`: the client \
                 offered nothing; set the config's alpn_protocols)"
            );
        }
    }

    #[test]
    fn a_client_with_no_protocol_in_common_is_refused() {
        match chosen_by_a_rustls_server(&["h2"], &["http/1.1"]) {
            Ok(chosen) => panic!(
                "a client offering only h2 to a server that accepts only \
                 http/1.1 must be refused, but the server chose {chosen:?} \
                 (`none`: the client offered nothing)"
            ),
            Err(error) => assert!(
                matches!(
                    TlsError::of(&error),
                    Some(TlsError::PeerAlert { alert }) if alert.contains("Application")
                ),
                "the server refuses with the alert no_application_protocol; \
                 the client got {error:?}"
            ),
        }
    }

    /// What a rustls client offering `offered` got from an aio server
    /// with the reader's context accepting `accepted`.
    fn chosen_by_the_readers_server(
        offered: &'static [&'static str],
        accepted: &[&str],
    ) -> Result<Option<String>, String> {
        let issued: Issued = ch09_tls::certificate::self_signed().unwrap();
        let context =
            server_context(&issued.cert_pem, &issued.key_pem, accepted)
                .expect("the server context is made");
        grading::on_real_clock(async move {
            let serve = |_: StreamReader, writer: StreamWriter| async move {
                writer.close()
            };
            let server =
                aio::start_server_ssl(serve, "127.0.0.1", 0, context).await?;
            let port = server.port();
            let ca = issued.cert_pem.clone();
            let chosen = aio::to_thread(move || {
                grading::rustls_client(port, &ca, offered)
            })
            .await
            .expect("the client's thread runs");
            server.close();
            Ok(chosen)
        })
    }

    #[test]
    fn the_server_chooses_by_its_own_preference() {
        let chosen = chosen_by_the_readers_server(
            &["http/1.1", "h2"],
            &["h2", "http/1.1"],
        );
        assert_eq!(
            chosen,
            Ok(Some("h2".to_owned())),
            "a server that prefers h2 should choose it from a client that \
             offers http/1.1 first (None: the server accepted no ALPN)"
        );
        let chosen =
            chosen_by_the_readers_server(&["http/1.1"], &["h2", "http/1.1"]);
        assert_eq!(chosen, Ok(Some("http/1.1".to_owned())));
        let refused = chosen_by_the_readers_server(&["spdy/3"], &["h2"]);
        assert!(
            refused.is_err(),
            "a server that accepts only h2 must refuse a client that \
             offers only spdy/3, but it gave {refused:?}"
        );
    }
}

mod mutual_tls {
    use crate::grading;
    use aio::{SslContext, StreamReader, StreamWriter};
    use ch09_tls::certificate::{Issued, self_signed};
    use ch09_tls::exercises::mutual_tls::{
        client_context, greet, server_context,
    };
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DnType,
        ExtendedKeyUsagePurpose, IsCa, KeyPair,
    };
    use std::cell::Cell;
    use std::rc::Rc;

    type Ca = CertifiedIssuer<'static, KeyPair>;

    /// A CA for clients, named `name`.
    fn client_ca(name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let key = KeyPair::generate().expect("a key");
        CertifiedIssuer::self_signed(params, key).expect("a CA")
    }

    /// A client certificate for `name`, signed by `ca`.
    fn client_certificate(ca: &Ca, name: &str) -> Issued {
        let mut params = CertificateParams::new(vec![name.to_owned()]).unwrap();
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let key = KeyPair::generate().expect("a key");
        let cert = params.signed_by(&key, ca).expect("signed");
        Issued { cert_pem: cert.pem(), key_pem: key.serialize_pem() }
    }

    /// Connects, with `client`, to a server made with the reader's
    /// `server_context` (its certificate `server_side`, trusting clients
    /// of `ca`) running the reader's `greet`. Gives what the server said
    /// (or why the connection failed), and how many times `greet` ran.
    fn conversation(
        server_side: &Issued,
        ca: &Ca,
        client: SslContext,
    ) -> (Result<String, String>, usize) {
        let (cert, key) = (&server_side.cert_pem, &server_side.key_pem);
        let context = server_context(cert, key, &ca.pem())
            .expect("the server context is made");
        grading::on_real_clock(async move {
            let greeted = Rc::new(Cell::new(0));
            let count = greeted.clone();
            let serve = move |reader: StreamReader, writer: StreamWriter| {
                count.set(count.get() + 1);
                greet(reader, writer)
            };
            let server =
                aio::start_server_ssl(serve, "127.0.0.1", 0, context).await?;
            let heard = hear(server.port(), client).await;
            server.close();
            Ok((heard.map_err(|error| error.to_string()), greeted.get()))
        })
    }

    /// Everything the server says to `client`.
    async fn hear(port: u16, client: SslContext) -> std::io::Result<String> {
        let (reader, writer) =
            aio::open_connection_ssl("127.0.0.1", port, client).await?;
        let heard = reader.read_to_end().await;
        writer.close();
        Ok(String::from_utf8_lossy(&heard?).into_owned())
    }

    #[test]
    fn a_client_with_a_certificate_is_greeted_by_name() {
        let server_side = self_signed().expect("made");
        let ca = client_ca("aio clients");
        let alice = client_certificate(&ca, "alice.clients.aio.test");
        let client = client_context(
            &server_side.cert_pem,
            &alice.cert_pem,
            &alice.key_pem,
        )
        .expect("the client context is made");
        let (heard, greeted) = conversation(&server_side, &ca, client);
        assert_eq!(
            heard,
            Ok("hello alice.clients.aio.test\n".to_owned()),
            "a client presenting a certificate for alice.clients.aio.test \
             should be greeted by that name (`hello stranger`: the client \
             sent no certificate, or the server did not ask for one)"
        );
        assert_eq!(greeted, 1, "greet runs once for the one connection");
    }

    #[test]
    fn a_client_without_a_certificate_is_refused() {
        let server_side = self_signed().expect("made");
        let ca = client_ca("aio clients");
        let anonymous = server_side.client_context().expect("made");
        let (heard, greeted) = conversation(&server_side, &ca, anonymous);
        assert!(
            heard.is_err() && greeted == 0,
            "a client with no certificate must fail its handshake, and \
             never reach greet; it heard {heard:?}, and greet ran {greeted} \
             times: the server context must require a client certificate"
        );
    }

    #[test]
    fn a_certificate_from_another_ca_is_refused() {
        let server_side = self_signed().expect("made");
        let ca = client_ca("aio clients");
        let other_ca = client_ca("someone else");
        let mallory = client_certificate(&other_ca, "mallory.aio.test");
        let client = client_context(
            &server_side.cert_pem,
            &mallory.cert_pem,
            &mallory.key_pem,
        )
        .expect("the client context is made");
        let (heard, greeted) = conversation(&server_side, &ca, client);
        assert!(
            heard.is_err() && greeted == 0,
            "a client certificate signed by another CA must be refused in \
             the handshake; the client heard {heard:?}, and greet ran \
             {greeted} times"
        );
    }
}

mod starttls_server {
    use crate::grading::{self, LineClient};
    use aio::Ssl;
    use ch09_tls::certificate::self_signed;
    use ch09_tls::exercises::starttls_server::start_starttls_server;

    #[test]
    fn a_session_upgrades_then_echoes_over_tls() {
        let issued = self_signed().expect("made");
        grading::on_real_clock(async move {
            let context = issued.server_context()?;
            let server = start_starttls_server("127.0.0.1", 0, context).await?;
            let session = LineClient::connect(server.port()).await?;
            assert_eq!(session.reply().await, "220 ready\n", "the greeting");
            assert_eq!(session.ask("STARTTLS").await, "220 go ahead\n");
            let ssl =
                Ssl::new(issued.client_context()?).server_hostname("localhost");
            session.writer.start_tls(ssl).await.map_err(|error| {
                std::io::Error::other(format!(
                    "the upgrade failed: {error}; after `220 go ahead`, \
                     call writer.start_tls with the server's context"
                ))
            })?;
            assert_eq!(
                session.ask("ECHO over TLS now").await,
                "250 over TLS now\n"
            );
            let again = session.ask("STARTTLS").await;
            assert!(
                again.starts_with("503 "),
                "STARTTLS over TLS is answered 503, not {again:?}"
            );
            let unknown = session.ask("HELO").await;
            assert!(
                unknown.starts_with("500 "),
                "an unknown command over TLS is answered 500, not {unknown:?}"
            );
            assert_eq!(session.ask("QUIT").await, "221 bye\n");
            assert_eq!(
                session.read_to_end().await,
                "",
                "after `221 bye` the server closes the connection"
            );
            session.writer.close();
            server.close();
            Ok(())
        });
    }

    #[test]
    fn commands_wait_for_starttls() {
        let issued = self_signed().expect("made");
        grading::on_real_clock(async move {
            let server =
                start_starttls_server("127.0.0.1", 0, issued.server_context()?)
                    .await?;
            let session = LineClient::connect(server.port()).await?;
            assert_eq!(session.reply().await, "220 ready\n", "the greeting");
            let refused = session.ask("ECHO secret").await;
            assert!(
                refused.starts_with("530 "),
                "in plain text, ECHO is answered 530, not {refused:?}: \
                 nothing but STARTTLS and QUIT before the upgrade"
            );
            assert_eq!(session.ask("QUIT").await, "221 bye\n");
            assert_eq!(
                session.read_to_end().await,
                "",
                "QUIT closes, even in plain text"
            );
            session.writer.close();
            server.close();
            Ok(())
        });
    }

    #[test]
    fn a_failed_handshake_costs_one_connection() {
        let issued = self_signed().expect("made");
        let stranger = self_signed().expect("made");
        grading::on_real_clock(async move {
            let server =
                start_starttls_server("127.0.0.1", 0, issued.server_context()?)
                    .await?;
            // A client that trusts another certificate: its handshake fails.
            let doubter = LineClient::connect(server.port()).await?;
            assert_eq!(doubter.reply().await, "220 ready\n", "the greeting");
            assert_eq!(doubter.ask("STARTTLS").await, "220 go ahead\n");
            let ssl = Ssl::new(stranger.client_context()?)
                .server_hostname("localhost");
            let upgrade = doubter.writer.start_tls(ssl).await;
            assert!(upgrade.is_err(), "the grader's client must not trust it");
            doubter.writer.close();
            // The server carries on.
            let session = LineClient::connect(server.port()).await?;
            assert_eq!(
                session.reply().await,
                "220 ready\n",
                "after a failed handshake, the server goes on serving"
            );
            assert_eq!(session.ask("STARTTLS").await, "220 go ahead\n");
            let ssl =
                Ssl::new(issued.client_context()?).server_hostname("localhost");
            session.writer.start_tls(ssl).await?;
            assert_eq!(
                session.ask("ECHO still here").await,
                "250 still here\n"
            );
            assert_eq!(session.ask("QUIT").await, "221 bye\n");
            session.writer.close();
            server.close();
            Ok(())
        });
    }

    #[test]
    fn a_client_context_is_refused_at_once() {
        let issued = self_signed().expect("made");
        grading::on_real_clock(async move {
            let context = issued.client_context()?;
            match start_starttls_server("127.0.0.1", 0, context).await {
                Ok(server) => {
                    server.close();
                    panic!(
                        "a client context cannot serve TLS: refuse it with \
                         InvalidInput before listening"
                    );
                }
                Err(error) => assert_eq!(
                    error.kind(),
                    std::io::ErrorKind::InvalidInput,
                    "a client context is InvalidInput, not {error}"
                ),
            }
            Ok(())
        });
    }
}

/// What the graders share: a loop with a deadline and a line-by-line client
/// (from [`shared_grading`]), and rustls peers on threads.
mod grading {
    pub use crate::shared_grading::LineClient;
    use crate::shared_grading::{Limit, run_on_real_clock};
    use aio::SslContext;
    use aio::rustls;
    use ch09_tls::certificate::Issued;
    use std::io::{self, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::Arc;
    use std::sync::mpsc::{self, Receiver};
    use std::time::Duration;

    /// How long any grader may take, in loop time.
    const DEADLINE: Limit =
        Limit::seconds(10, "something waits for data that never comes");

    /// How long one read, or one peer's thread, may take.
    pub const PATIENCE: Duration = Duration::from_secs(5);

    /// Runs `test` on a loop with the real clock (for real sockets), for
    /// at most ten seconds, and closes the loop.
    pub fn on_real_clock<T: 'static>(
        test: impl Future<Output = io::Result<T>> + 'static,
    ) -> T {
        run_on_real_clock(DEADLINE, test)
    }

    fn with_alpn(protocols: &[&str]) -> Vec<Vec<u8>> {
        protocols.iter().map(|name| name.as_bytes().to_vec()).collect()
    }

    /// A blocking rustls server on a thread, for one connection: it
    /// accepts `accepted` by ALPN and says which protocol it chose (or
    /// `none`), then closes with `close_notify`. The receiver gets the
    /// choice, or why the handshake failed.
    pub fn rustls_server(
        issued: &Issued,
        accepted: &[&str],
    ) -> (u16, Receiver<Result<Option<String>, String>>) {
        let Ok(SslContext::Server(config)) = issued.server_context() else {
            panic!("the grader's server context");
        };
        let mut config = rustls::ServerConfig::clone(&config);
        config.alpn_protocols = with_alpn(accepted);
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let port = listener.local_addr().expect("an address").port();
        let (done, outcome) = mpsc::channel();
        std::thread::spawn(move || {
            let serve = || -> Result<Option<String>, String> {
                let (mut socket, _) =
                    listener.accept().map_err(|e| e.to_string())?;
                socket.set_read_timeout(Some(PATIENCE)).ok();
                let mut tls = rustls::ServerConnection::new(Arc::new(config))
                    .map_err(|e| e.to_string())?;
                while tls.is_handshaking() {
                    tls.complete_io(&mut socket).map_err(|e| e.to_string())?;
                }
                let chosen = tls
                    .alpn_protocol()
                    .map(|name| String::from_utf8_lossy(name).into_owned());
                let said = chosen.clone().unwrap_or_else(|| "none".into());
                tls.writer().write_all(said.as_bytes()).ok();
                tls.send_close_notify();
                while tls.wants_write() {
                    tls.write_tls(&mut socket).map_err(|e| e.to_string())?;
                }
                Ok(chosen)
            };
            let _ = done.send(serve());
        });
        (port, outcome)
    }

    /// A blocking rustls client that trusts `ca_pem`, offers `offered` by
    /// ALPN to the server at `port`, and gives the server's choice, or why
    /// the handshake failed.
    pub fn rustls_client(
        port: u16,
        ca_pem: &str,
        offered: &[&str],
    ) -> Result<Option<String>, String> {
        let Ok(SslContext::Client(config)) =
            SslContext::client_with_ca_pem(ca_pem.as_bytes())
        else {
            panic!("the grader's client context");
        };
        let mut config = rustls::ClientConfig::clone(&config);
        config.alpn_protocols = with_alpn(offered);
        let name = "localhost".try_into().expect("a server name");
        let mut tls = rustls::ClientConnection::new(Arc::new(config), name)
            .map_err(|e| e.to_string())?;
        let mut socket = TcpStream::connect(("127.0.0.1", port))
            .map_err(|e| e.to_string())?;
        socket.set_read_timeout(Some(PATIENCE)).ok();
        while tls.is_handshaking() {
            tls.complete_io(&mut socket).map_err(|e| e.to_string())?;
        }
        let chosen = tls
            .alpn_protocol()
            .map(|name| String::from_utf8_lossy(name).into_owned());
        tls.send_close_notify();
        while tls.wants_write() {
            tls.write_tls(&mut socket).map_err(|e| e.to_string())?;
        }
        Ok(chosen)
    }
}

#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
