//! Chapter 9's TLS layer (`layer.rs`): the application on top, holding a
//! `TlsTransport`; rustls in the middle, which does no I/O, and the four
//! calls the layer moves bytes with; the socket's transport of chapter 7
//! underneath, which feeds `TlsLower` ciphertext, and whose flow control
//! reaches the application through the layer.

use super::layout::{MARGIN, WIDTH, box_height, check_fit, titled_box};
use crate::Figure;
use crate::svg::{Anchor, LINE_HEIGHT, Svg};

/// A box `h` high naming rustls's calls (in mono) and what they move.
fn call_box(
    svg: &mut Svg,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    calls: &[&str],
    what: &str,
) {
    check_fit(w, "mono", calls);
    check_fit(w, "", &[what]);
    svg.rect(x, y, w, h, "box");
    svg.lines(x + 8.0, y + 17.0, Anchor::Start, "mono", calls);
    let below = y + 17.0 + calls.len() as f64 * LINE_HEIGHT;
    svg.text(x + 8.0, below, Anchor::Start, "", what);
}

/// The figure `tls-layers`.
pub fn layers() -> Figure {
    let mut svg = Svg::new(WIDTH, 0.0);
    // A lane on the left for flow control; the layer's frame; rustls's
    // box inside it; and two columns, reads on the left, writes on the
    // right, every box of a column as wide as the column.
    let lane = 30.0;
    let frame_x = MARGIN + lane;
    let frame_w = WIDTH - MARGIN - frame_x;
    let rustls_x = frame_x + 10.0;
    let left = rustls_x + 10.0;
    let gap = 20.0;
    let w = (frame_x + frame_w - 20.0 - left - gap) / 2.0;
    let right = left + w + gap;
    let (mid_l, mid_r) = (left + w / 2.0, right + w / 2.0);
    let label = |svg: &mut Svg, x: f64, y: f64, text: &str| {
        svg.text(x + 6.0, y, Anchor::Start, "note", text);
    };

    // The application: chapter 8's streams, unchanged.
    let mut y = MARGIN + 12.0;
    svg.text(left, y, Anchor::Start, "note", "the application (chapter 8)");
    y += 8.0;
    let h1 = titled_box(
        &mut svg,
        left,
        y,
        w,
        "warm",
        "StreamReader",
        "",
        &["read(n), readline()"],
    )
    .max(titled_box(
        &mut svg,
        right,
        y,
        w,
        "warm",
        "StreamWriter",
        "",
        &["write(data), drain()"],
    ));
    let protocol_y = y + h1 + 36.0;
    let protocol_lines =
        ["(or your Protocol)", "data_received(plain)", "pause_writing()"];
    let h2 = titled_box(
        &mut svg,
        left,
        protocol_y,
        w,
        "warm",
        "StreamProtocol",
        "",
        &protocol_lines,
    );
    svg.arrow(mid_l, protocol_y, mid_l, y + h1 + 2.0);
    label(&mut svg, mid_l, y + h1 + 22.0, "feed_data");

    // The layer: its transport upwards, rustls, TlsLower downwards.
    let layer_y = protocol_y + h2 + 30.0;
    let transport_up_y = layer_y + 12.0;
    let h_up = titled_box(
        &mut svg,
        right,
        transport_up_y,
        w,
        "accent",
        "TlsTransport",
        "",
        &[
            "the app's transport:",
            "write(plain) encrypts",
            "close(): close_notify",
        ],
    );
    svg.arrow(mid_r, y + h1, mid_r, transport_up_y - 2.0);
    label(&mut svg, mid_r, y + h1 + 22.0, "write");
    svg.lines(
        left,
        transport_up_y + 17.0,
        Anchor::Start,
        "bold",
        &["the TLS layer", "(chapter 9)"],
    );
    let rustls_y = transport_up_y + h_up + 26.0;
    let calls_y = rustls_y + 30.0;
    let (upper_h, lower_h) = (box_height(2), box_height(3));
    let lower_calls_y = calls_y + upper_h + 30.0;
    let rustls_h = lower_calls_y + lower_h + 10.0 - rustls_y;
    let rustls_w = 2.0 * w + gap + 20.0;
    svg.rect(rustls_x, rustls_y, rustls_w, rustls_h, "good");
    svg.text(
        left,
        rustls_y + 18.0,
        Anchor::Start,
        "bold",
        "rustls::Connection: no I/O of its own",
    );
    let (top, bottom) = (calls_y, lower_calls_y);
    call_box(&mut svg, left, top, w, upper_h, &["reader()"], "plaintext up");
    call_box(&mut svg, right, top, w, upper_h, &["writer()"], "plaintext down");
    let reading = ["read_tls()", "process_new_packets()"];
    let decrypted = "ciphertext in, decrypted";
    call_box(&mut svg, left, bottom, w, lower_h, &reading, decrypted);
    call_box(
        &mut svg,
        right,
        bottom,
        w,
        lower_h,
        &["write_tls()"],
        "records out",
    );
    svg.arrow(mid_l, lower_calls_y, mid_l, calls_y + upper_h + 2.0);
    svg.arrow(mid_r, calls_y + upper_h, mid_r, lower_calls_y - 2.0);
    svg.arrow(mid_l, calls_y, mid_l, protocol_y + h2 + 2.0);
    label(&mut svg, mid_l, protocol_y + h2 + 20.0, "data_received");
    svg.arrow(mid_r, transport_up_y + h_up, mid_r, calls_y - 2.0);
    let lower_y = rustls_y + rustls_h + 26.0;
    let h3 = titled_box(
        &mut svg,
        left,
        lower_y,
        w,
        "accent",
        "TlsLower: a Protocol",
        "",
        &["data_received(cipher)", "pause_writing()"],
    );
    svg.arrow(mid_l, lower_y, mid_l, rustls_y + rustls_h + 2.0);
    let frame_h = lower_y + h3 + 12.0 - layer_y;
    svg.rect(frame_x, layer_y, frame_w, frame_h, "frame");

    // The socket's transport, of chapter 7.
    let transport_y = layer_y + frame_h + 30.0;
    let h4 = titled_box(
        &mut svg,
        MARGIN,
        transport_y,
        WIDTH - 2.0 * MARGIN,
        "box",
        "Transport, and the connection's task",
        "chapter 7",
        &[
            "reads the socket: data_received(ciphertext)",
            "write buffer over the high mark: pause_writing()",
        ],
    );
    svg.arrow(mid_l, transport_y, mid_l, lower_y + h3 + 2.0);
    svg.arrow(mid_r, lower_calls_y + lower_h, mid_r, transport_y - 2.0);
    label(&mut svg, mid_r, lower_y + h3 + 2.0, "write(records)");

    // Flow control crosses the layer: the socket's buffer is the TLS
    // transport's, so its pause goes straight up to the application.
    let flow_x = MARGIN + lane / 2.0;
    let line_y = |top: f64, line: f64| top + 13.0 + line * LINE_HEIGHT;
    let (from_y, to_y) = (line_y(lower_y, 2.0), line_y(protocol_y, 3.0));
    svg.polyline(
        &[(left, from_y), (flow_x, from_y), (flow_x, to_y), (left - 2.0, to_y)],
        "grey-arrow",
    );
    let notes = [
        "grey: flow control crosses the layer. The socket's write buffer",
        "holds the records, so its pause_writing is the application's.",
    ];
    let mut bottom = transport_y + h4 + 6.0;
    for note in notes {
        bottom += LINE_HEIGHT;
        svg.text(MARGIN, bottom, Anchor::Start, "note", note);
    }
    svg.set_height(bottom + MARGIN);
    super::figure(
        "tls-layers",
        "The TLS layer of chapter 9: the StreamReader and StreamWriter on \
         top, over the StreamProtocol and the TlsTransport; rustls in the \
         middle, moving bytes with read_tls and process_new_packets, \
         reader, writer and write_tls; TlsLower and the socket's transport \
         underneath, whose pause_writing goes straight up to the \
         application",
        svg,
    )
}
