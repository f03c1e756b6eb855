//! A real HTTP server on a loopback port that records every webhook call it gets, and the
//! checks a receiver makes of them: the tests of automations, webhook subscriptions and the
//! API journey share it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use dealflow::server::delivery::{webhook::WebhookPolicy, Delivery};
use hmac::{Hmac, Mac};
use serde_json::Value;

use crate::support::wait_for;

/// A request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub raw: Vec<u8>,
    pub body: Value,
}

/// Records calls to `/{name}` and answers by the name: `/slow` 200 after 6 s, `/fail` 500,
/// `/gone` 404, `/down` 503, `/flaky` 503 to its first two calls and then 200, `/once` 503 to
/// the first call of each delivery (by the body's `id`) and 200 to the next; any other 200.
pub struct Receiver {
    addr: SocketAddr,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let store = got.clone();
        let app = Router::new().route(
            "/{name}",
            post(
                move |axum::extract::Path(name): axum::extract::Path<String>,
                      headers: HeaderMap,
                      raw: axum::body::Bytes| {
                    let store = store.clone();
                    async move {
                        let path = format!("/{name}");
                        let body: Value = serde_json::from_slice(&raw).unwrap_or(Value::Null);
                        let (at_path, same_delivery) = {
                            let mut got = store.lock().unwrap();
                            let earlier: Vec<&Received> =
                                got.iter().filter(|r| r.path == path).collect();
                            let same = earlier
                                .iter()
                                .filter(|r| r.body["id"] == body["id"])
                                .count();
                            let at_path = earlier.len();
                            got.push(Received {
                                path,
                                headers,
                                raw: raw.to_vec(),
                                body,
                            });
                            (at_path, same)
                        };
                        let status = match name.as_str() {
                            "slow" => {
                                tokio::time::sleep(Duration::from_secs(6)).await;
                                200
                            }
                            "fail" => 500,
                            "gone" => 404,
                            "down" => 503,
                            "flaky" if at_path < 2 => 503,
                            "once" if same_delivery == 0 => 503,
                            _ => 200,
                        };
                        axum::http::StatusCode::from_u16(status).unwrap()
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { addr, got }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every call so far, in the order they came.
    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// The calls to `path`, in the order they came.
    pub fn received_at(&self, path: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// Waits until `path` got `n` calls; returns them.
    pub async fn wait_calls(&self, path: &str, n: usize) -> Vec<Received> {
        wait_for(
            Duration::from_secs(30),
            &format!("{n} calls to {path}"),
            || async {
                let got = self.received_at(path);
                (got.len() >= n).then_some(got)
            },
        )
        .await
    }
}

/// The worker's webhooks may reach this machine (the receiver is on loopback).
pub fn allow_local() -> Delivery {
    Delivery {
        mailer: None,
        webhooks: WebhookPolicy {
            allow_private: true,
        },
    }
}

/// Checks the call's signature with an HMAC-SHA256 of our own: `sha256=<hex>` of
/// `"{timestamp}.{body}"` under the secret, a timestamp of the last minutes, and the event and
/// delivery headers against the body.
pub fn assert_signed(secret: &str, r: &Received) {
    let header = |name: &str| {
        r.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
            .to_string()
    };
    let timestamp = header("x-dealflow-timestamp");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(&r.raw);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(header("x-dealflow-signature"), expected, "signature");
    let age = chrono::Utc::now().timestamp() - timestamp.parse::<i64>().unwrap();
    assert!(
        (0..300).contains(&age),
        "timestamp {timestamp} is {age} s old"
    );
    assert_eq!(
        header("x-dealflow-event"),
        r.body["event"].as_str().unwrap()
    );
    assert_eq!(
        header("x-dealflow-delivery"),
        r.body["id"].as_str().unwrap()
    );
    assert_eq!(header("content-type"), "application/json");
}
