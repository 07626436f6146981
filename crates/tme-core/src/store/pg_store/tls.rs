//! TLS to the server, through rustls, chosen by the URL's `sslmode` as libpq chooses it:
//! `disable` never, `prefer` (the default) when the server offers it, `require` always without
//! checking whose certificate it is (as libpq does without a root certificate), `verify-ca` and
//! `verify-full` always, checking the certificate against `sslrootcert` (a PEM file) or the
//! public roots, and the host name. `verify-ca` checks the host name too: stricter than libpq.

use std::sync::Arc;

use postgres::config::SslMode;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::store::StoreError;

/// What the URL asks of TLS, read before the client parses the URL (it knows only `disable`,
/// `prefer` and `require`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    /// The certificate must be checked.
    verify: bool,
    /// The roots to check it against (`sslrootcert`); the public roots when absent.
    root: Option<String>,
}

/// Splits the TLS settings out of `url`: the URL the client can parse, and what it asks.
pub fn split(url: &str) -> (String, Tls) {
    let mut tls = Tls {
        verify: false,
        root: None,
    };
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), tls);
    };
    let mut kept = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("sslmode", "verify-ca" | "verify-full")) => {
                tls.verify = true;
                kept.push("sslmode=require".to_string());
            }
            Some(("sslrootcert", path)) => tls.root = Some(path.to_string()),
            _ => kept.push(pair.to_string()),
        }
    }
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (url, tls)
}

impl Tls {
    /// The connector for a client whose mode is `mode`.
    pub fn connector(&self, mode: SslMode) -> Result<MakeRustlsConnect, StoreError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| StoreError::Backend(format!("TLS: {e}")))?;
        let config = if self.verify {
            builder
                .with_root_certificates(self.roots()?)
                .with_no_client_auth()
        } else {
            if mode == SslMode::Require {
                tracing::debug!("sslmode=require: the server's certificate is not checked");
            }
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
                .with_no_client_auth()
        };
        Ok(MakeRustlsConnect::new(config))
    }

    fn roots(&self) -> Result<RootCertStore, StoreError> {
        let mut roots = RootCertStore::empty();
        match &self.root {
            Some(path) => {
                let bad = |e: &dyn std::fmt::Display| {
                    StoreError::Backend(format!("sslrootcert {path}: {e}"))
                };
                for cert in CertificateDer::pem_file_iter(path).map_err(|e| bad(&e))? {
                    roots.add(cert.map_err(|e| bad(&e))?).map_err(|e| bad(&e))?;
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        Ok(roots)
    }
}

/// Accepts whatever certificate the server shows (the handshake is still checked): what
/// `sslmode=require` and `prefer` mean without a root certificate.
#[derive(Debug)]
struct Unchecked(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_modes_become_require_for_the_client() {
        let (url, tls) = split("postgres://a@h/db?sslmode=verify-full&sslrootcert=/ca.pem&x=1");
        assert_eq!(url, "postgres://a@h/db?sslmode=require&x=1");
        assert!(tls.verify);
        assert_eq!(tls.root.as_deref(), Some("/ca.pem"));
        let (url, tls) = split("postgres://a@h/db?sslmode=require");
        assert_eq!(url, "postgres://a@h/db?sslmode=require");
        assert!(!tls.verify);
        assert_eq!(split("postgres://a@h/db").0, "postgres://a@h/db");
        assert_eq!(
            split("postgres://a@h/db?sslrootcert=x").0,
            "postgres://a@h/db"
        );
    }
}
