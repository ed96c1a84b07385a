//! The wiremock adapter serves the emulator.

use std::sync::Arc;

use contractor::stub::{Emulator, Responder};
use serde_json::{json, Value};

#[test]
fn the_wiremock_adapter_serves_the_emulator() {
    contractor::install_crypto_provider();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let emulator: Arc<dyn Responder> = Arc::new(Emulator::shipped());
        let server = contractor::stub::wiremock_adapter::serve_wiremock(emulator).await;
        let client = reqwest::Client::new();
        let created = client
            .post(format!("{}/v1/invitations", server.uri()))
            .bearer_auth("fixture-token-teacher")
            .header("content-type", "application/json")
            .body(json!({"userId": "100005", "courseId": "200001", "role": "STUDENT"}).to_string())
            .send()
            .await
            .expect("create");
        assert_eq!(created.status().as_u16(), 200);
        let body: Value = serde_json::from_str(&created.text().await.expect("body")).expect("json");
        let id = body["id"].as_str().expect("id");
        let accepted = client
            .post(format!("{}/v1/invitations/{id}%3Aaccept", server.uri()))
            .bearer_auth("fixture-token-invitee")
            .send()
            .await
            .expect("accept");
        assert_eq!(accepted.status().as_u16(), 200);
        let gone = client
            .get(format!("{}/v1/invitations/{id}", server.uri()))
            .bearer_auth("fixture-token-invitee")
            .send()
            .await
            .expect("get");
        assert_eq!(gone.status().as_u16(), 404);
    });
}
