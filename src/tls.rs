//! TLS settings: rustls (no OpenSSL at run time) trusting the system's roots plus those in
//! `NODE_EXTRA_CA_CERTS`. Loading the system roots takes milliseconds, so the
//! configuration is built once per set of extra roots and shared by every client.

use std::sync::{Arc, Mutex, OnceLock};

use rustls::ClientConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use crate::error::ClientError;

type Cache = Mutex<Vec<(Option<Vec<u8>>, Arc<ClientConfig>)>>;

/// The shared configuration for these extra roots (PEM), building it on first use.
pub fn client_config(extra_ca_pem: Option<&[u8]>) -> Result<ClientConfig, ClientError> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut entries = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, config)) = entries.iter().find(|(pem, _)| pem.as_deref() == extra_ca_pem) {
        return Ok(ClientConfig::clone(config));
    }
    let config = Arc::new(build(extra_ca_pem)?);
    entries.push((extra_ca_pem.map(<[u8]>::to_vec), config.clone()));
    Ok(ClientConfig::clone(&config))
}

fn build(extra_ca_pem: Option<&[u8]>) -> Result<ClientConfig, ClientError> {
    let tls_error = |e: rustls::Error| ClientError::Config(format!("Unable to set up TLS: {e}"));
    let extra_roots = extra_ca_pem.map(extra_roots).unwrap_or_default();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier =
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra_roots, provider.clone()).map_err(tls_error)?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The certificates of a PEM bundle. Like Node, an unusable `NODE_EXTRA_CA_CERTS` is
/// reported on stderr and otherwise ignored.
fn extra_roots(pem: &[u8]) -> Vec<CertificateDer<'static>> {
    let certs: Vec<_> = CertificateDer::pem_slice_iter(pem).filter_map(Result::ok).collect();
    if certs.is_empty() {
        crate::transport::diagnostic(format_args!(
            "owox: NODE_EXTRA_CA_CERTS holds no valid PEM certificate; ignoring it"
        ));
    }
    certs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_is_built_once_and_offers_h2_and_http1() {
        let first = client_config(None).unwrap();
        assert_eq!(first.alpn_protocols, vec![b"h2".to_vec(), b"http/1.1".to_vec()]);
        let started = std::time::Instant::now();
        for _ in 0..100 {
            client_config(None).unwrap();
        }
        // Cached: a hundred lookups cost less than a single load of the system roots.
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
    }

    #[test]
    fn garbage_extra_roots_are_ignored() {
        assert!(extra_roots(b"not a certificate").is_empty());
    }
}
