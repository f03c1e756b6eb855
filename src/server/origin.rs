//! Where the request being served came from: the client's address as the guard decided it
//! and, for the JSON API, the key it authenticated with. The guard's middleware sets it for
//! the whole of each routed request (server functions run inside that request's future); the
//! worker's jobs run outside any request, and what they record has no address.

use std::future::Future;
use std::net::IpAddr;
use std::sync::OnceLock;

/// One request's origin.
struct Origin {
    address: IpAddr,
    api_key: OnceLock<i64>,
}

tokio::task_local! {
    static ORIGIN: Origin;
}

/// Runs `f` as the request from `address`.
pub async fn scope<F: Future>(address: IpAddr, f: F) -> F::Output {
    ORIGIN
        .scope(
            Origin {
                address,
                api_key: OnceLock::new(),
            },
            f,
        )
        .await
}

/// The client's address of the request being served, if any.
pub fn address() -> Option<IpAddr> {
    ORIGIN.try_with(|o| o.address).ok()
}

/// The API key the request being served authenticated with, if any.
pub fn api_key() -> Option<i64> {
    ORIGIN.try_with(|o| o.api_key.get().copied()).ok().flatten()
}

/// Notes the API key this request authenticated with (the first one noted stays).
pub fn note_api_key(id: i64) {
    let _ = ORIGIN.try_with(|o| o.api_key.set(id));
}
