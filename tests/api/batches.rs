//! The Files and Batch API client against the fake server: upload, create,
//! read, list over pages, cancel, content streamed into a sink, and a
//! server that lies about ids, lengths or cursors.

use crate::common;

use artty::api::ApiError;
use artty::api::batch_wire::BatchStatus;
use artty::api::batches::NewBatch;
use artty::fake::Fault;
use common::{client_for, fake};

const LINE: &str = "{\"custom_id\":\"line-1-a\",\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":{\"model\":\"fake-small\",\"prompt\":\"a dot\",\"size\":\"64x64\"}}\n";

#[tokio::test]
async fn a_batch_goes_from_upload_to_output_file() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let input = client
        .upload_file("in.jsonl", "application/octet-stream", LINE.into(), "batch")
        .await
        .unwrap();
    assert_eq!(
        (input.bytes, input.purpose.as_str()),
        (LINE.len() as u64, "batch")
    );
    let metadata = vec![("artty_batch".to_string(), "b-1".to_string())];
    let batch = client
        .create_batch(&NewBatch {
            input_file_id: &input.id,
            endpoint: "/v1/images/generations",
            metadata: &metadata,
        })
        .await
        .unwrap();
    assert_eq!(batch.status, BatchStatus::Validating);
    assert_eq!(batch.request_counts.total, 1);
    // The request carries the key, the organization and the project.
    let create = server
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/batches")
        .unwrap();
    assert_eq!(create.header("openai-organization"), Some("org-test"));
    assert_eq!(create.json.unwrap()["metadata"]["artty_batch"], "b-1");

    server.advance_batch_clock(2 * 3600);
    let done = client.get_batch(&batch.id).await.unwrap();
    assert_eq!(done.status, BatchStatus::Completed);
    assert_eq!(done.request_counts.completed, 1);
    let output = done.output_file_id.unwrap();
    let mut sink = Vec::new();
    let written = client
        .download_file(&output, &mut sink, 1 << 30)
        .await
        .unwrap();
    assert_eq!(written as usize, sink.len());
    let line: serde_json::Value = serde_json::from_slice(sink.trim_ascii_end()).unwrap();
    assert_eq!(line["custom_id"], "line-1-a");
    assert!(line["response"]["body"]["data"][0]["b64_json"].is_string());
    // Past the caller's limit, the download stops.
    let mut small = Vec::new();
    let err = client
        .download_file(&output, &mut small, 100)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::TooLarge { .. }), "{err:?}");
    client.delete_file(&input.id).await.unwrap();
    assert!(client.delete_file(&input.id).await.is_err(), "gone");
}

#[tokio::test]
async fn a_list_reads_every_page_and_a_repeating_cursor_stops_it() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let input = client
        .upload_file("in.jsonl", "application/octet-stream", LINE.into(), "batch")
        .await
        .unwrap();
    for _ in 0..3 {
        let batch = NewBatch {
            input_file_id: &input.id,
            endpoint: "/v1/images/generations",
            metadata: &[],
        };
        client.create_batch(&batch).await.unwrap();
    }
    assert_eq!(client.list_batches(500).await.unwrap().len(), 3);
    assert_eq!(client.list_batches(2).await.unwrap().len(), 2);
    // A server that always says "more, after the same id" is read once.
    let page = serde_json::json!({ "object": "list", "has_more": true, "last_id": "batch_x",
        "data": [] });
    for _ in 0..2 {
        server.push_fault(Fault::json(200, &page));
    }
    let listed = client.list_batches(500).await.unwrap();
    assert!(listed.is_empty());
    let lists = server
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/batches" && r.method == "GET")
        .count();
    // One request for each of the first two lists, then two pages: the
    // second repeats the cursor, so no third is asked for.
    assert_eq!(lists, 1 + 1 + 2);
}

#[tokio::test]
async fn a_cut_off_download_and_ids_that_are_not_ids_are_errors() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let input = client
        .upload_file(
            "in.jsonl",
            "application/octet-stream",
            LINE.repeat(3).into(),
            "batch",
        )
        .await
        .unwrap();
    server.push_fault(Fault::Truncate { after: 10 });
    let mut sink = Vec::new();
    let err = client
        .download_file(&input.id, &mut sink, 1 << 20)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::FileDownload { .. }), "{err:?}");
    assert!(err.to_string().contains("fetch again"), "{err}");
    // An id with a slash or a query never reaches a URL.
    for bad in ["../files", "batch?x=1", "", "a b"] {
        let err = client.get_batch(bad).await.unwrap_err();
        assert!(matches!(err, ApiError::Protocol { .. }), "{bad}: {err:?}");
    }
    let before = server.requests().len();
    assert!(client.cancel_batch("x/../../y").await.is_err());
    assert_eq!(server.requests().len(), before, "nothing was sent");
    // The server's unknown batch is its 404, said as such.
    let err = client.get_batch("batch_unknown").await.unwrap_err();
    assert!(err.to_string().contains("No such batch"), "{err}");
}

#[tokio::test]
async fn cancelling_moves_a_batch_to_cancelling_then_cancelled() {
    let server = fake().await;
    let (client, _) = client_for(&server);
    let input = client
        .upload_file("in.jsonl", "application/octet-stream", LINE.into(), "batch")
        .await
        .unwrap();
    let batch = client
        .create_batch(&NewBatch {
            input_file_id: &input.id,
            endpoint: "/v1/images/generations",
            metadata: &[],
        })
        .await
        .unwrap();
    let cancelling = client.cancel_batch(&batch.id).await.unwrap();
    assert_eq!(cancelling.status, BatchStatus::Cancelling);
    let cancelled = client.get_batch(&batch.id).await.unwrap();
    assert_eq!(cancelled.status, BatchStatus::Cancelled);
    assert!(cancelled.status.is_final());
    // An ended batch cannot be cancelled again.
    assert!(client.cancel_batch(&batch.id).await.is_err());
}
