//! A server whose certificate the system does not trust (a company proxy
//! that re-signs TLS, a private CA): the error says so and names
//! SSL_CERT_FILE, and SSL_CERT_FILE holding the CA makes it trusted.

use crate::common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::home::{Home, text};
use common::tools::tool;

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        text(&out.stderr)
    );
}

/// A CA and a certificate for 127.0.0.1 that it signed, in `dir`.
fn private_ca(dir: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509", "-days", "2", "-subj", "/CN=artty test CA"];
    ca.extend(ec);
    ca.extend(["-keyout", "ca.key", "-out", "ca.pem"]);
    openssl(dir, &ca);
    let mut leaf = vec!["req", "-subj", "/CN=127.0.0.1"];
    leaf.extend(ec);
    leaf.extend(["-keyout", "leaf.key", "-out", "leaf.csr"]);
    openssl(dir, &leaf);
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "leaf.ext",
            "-out",
            "leaf.pem",
        ],
    );
}

struct TlsServer(std::process::Child);

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &Path) -> (TlsServer, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-cert", "leaf.pem", "-key", "leaf.key"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "s_server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (TlsServer(child), port)
}

#[test]
fn an_untrusted_certificate_names_ssl_cert_file_and_it_fixes_it() {
    if !tool("openssl") {
        return;
    }
    let home = Home::new();
    let dir = home.root.path().join("tls");
    std::fs::create_dir_all(&dir).unwrap();
    private_ca(&dir);
    let (_server, port) = serve(&dir);
    let url = format!("https://127.0.0.1:{port}/v1");
    let args = [
        "--base-url",
        url.as_str(),
        "--retries",
        "0",
        "--timeout",
        "5",
        "generate",
        "x",
    ];

    let untrusted = home
        .artty(&args)
        .env("OPENAI_API_KEY", common::KEY)
        .output()
        .unwrap();
    let said = text(&untrusted.stderr);
    assert_eq!(untrusted.status.code(), Some(4), "{said}");
    assert!(
        said.contains("certificate is not trusted") && said.contains("SSL_CERT_FILE"),
        "{said}"
    );

    // With the CA named, the handshake passes: what fails now is that the
    // server is not an images API (s_server answers with a status page).
    let trusted = home
        .artty(&args)
        .env("OPENAI_API_KEY", common::KEY)
        .env("SSL_CERT_FILE", dir.join("ca.pem"))
        .output()
        .unwrap();
    let said = text(&trusted.stderr);
    assert!(!said.contains("certificate"), "{said}");
    assert_ne!(trusted.status.code(), Some(0), "{said}");
}
