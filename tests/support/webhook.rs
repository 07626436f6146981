//! A webhook for tests: a small HTTP server on 127.0.0.1 that keeps every JSON body it is sent.
//! Shared by the end-to-end tests and the TUI's unit tests (each includes this file).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// What the webhook received.
pub type Received = Arc<Mutex<Vec<serde_json::Value>>>;

/// A webhook that answers 500 to its first `fail_first` requests, then 200, and keeps every
/// JSON body it got.
pub fn webhook(fail_first: usize) -> Result<(String, Received), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/hooks/secret-token", listener.local_addr()?);
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        let mut count = 0;
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            count += 1;
            let status = if count <= fail_first {
                "500 Internal Server Error"
            } else {
                "200 OK"
            };
            if count > fail_first
                && let Ok(value) = serde_json::from_slice(&body)
                && let Ok(mut seen) = seen.lock()
            {
                seen.push(value);
            }
            let _ = (&stream).write_all(
                format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
        }
    });
    Ok((url, got))
}
