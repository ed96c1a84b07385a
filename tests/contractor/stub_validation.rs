//! What the spec-driven stub refuses, as Schemathesis probes it (`negative_data_rejection`,
//! its content-type probes): an `Accept` it cannot meet (406), an undeclared body type (415),
//! cookie and header parameters against their schemas, integers past their format's width,
//! and faults in form and XML bodies. Each test also shows the valid request next to the
//! invalid one being accepted, so a stub that refused everything would fail too.

use std::sync::Arc;
use std::time::Duration;

use contractor::stub::{Responder, SpecStub, StubRequest, StubResponse};
use serde_json::json;

use crate::support::*;

fn stub() -> SpecStub {
    let api = Arc::new(load_api(&fixture("stub/strict.yaml")));
    SpecStub::new(api, &[], Duration::from_millis(10))
}

/// A request with `headers` and a raw `body`; the query is split off `path`.
fn send(stub: &SpecStub, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> u16 {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let request = StubRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect(),
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.as_bytes().to_vec(),
    };
    let response: StubResponse = stub.respond(&request);
    response.status
}

fn post(stub: &SpecStub, content_type: &str, body: &str) -> u16 {
    send(
        stub,
        "POST",
        "/notes",
        &[("content-type", content_type)],
        body,
    )
}

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const XML: &str = "application/xml";

#[test]
fn an_accept_header_no_documented_media_type_meets_is_refused_with_406() {
    let stub = stub();
    let get = |accept: &str| send(&stub, "GET", "/counts/1", &[("accept", accept)], "");
    assert_eq!(send(&stub, "GET", "/counts/1", &[], ""), 200, "no Accept");
    for acceptable in [
        "application/json",
        "*/*",
        "application/*",
        "text/html, application/json;q=0.1",
        "Application/JSON; charset=utf-8",
    ] {
        assert_eq!(get(acceptable), 200, "{acceptable}");
    }
    for unacceptable in [
        "text/html",
        "application/xml",
        "application/json;q=0",
        "application/json;q=0, text/*",
        "text/*",
    ] {
        assert_eq!(get(unacceptable), 406, "{unacceptable}");
    }
}

/// Where the response is documented in XML too and the client accepts only XML, the body is
/// written as XML by the schema's `xml` objects (root name, attribute, wrapped array), not
/// sent as JSON the client said it cannot take.
#[test]
fn an_accept_only_xml_meets_gets_the_body_written_as_xml() {
    let stub = stub();
    let note = r#"{"title": "milk", "pinned": true, "lang": "en", "tags": ["a", "b"]}"#;
    let ask = |accept: &str| {
        stub.respond(&StubRequest {
            method: "POST".to_owned(),
            path: "/notes".to_owned(),
            query: Vec::new(),
            headers: vec![
                ("content-type".to_owned(), JSON.to_owned()),
                ("accept".to_owned(), accept.to_owned()),
            ],
            body: note.as_bytes().to_vec(),
        })
    };
    let r = ask("application/xml");
    assert_eq!((r.status, r.header("content-type")), (201, Some(XML)));
    let text = String::from_utf8(r.body.clone()).expect("utf-8");
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "note", "{text}");
    assert_eq!(root.attribute("lang"), Some("en"), "{text}");
    let child = |name: &str| root.children().find(|c| c.tag_name().name() == name);
    assert_eq!(
        child("title").and_then(|t| t.text()),
        Some("milk"),
        "{text}"
    );
    let tags: Vec<&str> = child("tags")
        .expect("a wrapped array")
        .children()
        .filter(|c| c.tag_name().name() == "tag")
        .filter_map(|c| c.text())
        .collect();
    assert_eq!(tags, ["a", "b"], "{text}");
    let r = ask("application/xml;q=0.5, application/json");
    assert_eq!(
        r.header("content-type"),
        Some(JSON),
        "JSON while it is acceptable"
    );
}

#[test]
fn a_body_of_a_content_type_the_operation_does_not_declare_is_refused_with_415() {
    let stub = stub();
    let note = r#"{"title": "milk", "pinned": true}"#;
    assert_eq!(post(&stub, JSON, note), 201);
    assert_eq!(post(&stub, "application/json; charset=utf-8", note), 201);
    assert_eq!(post(&stub, "text/plain", note), 415);
    assert_eq!(post(&stub, "multipart/form-data; boundary=x", note), 415);
    assert_eq!(post(&stub, "application/octet-stream", note), 415);
    // A declared type with a body that is not of it is malformed: 400, not 415.
    assert_eq!(post(&stub, JSON, "title=milk"), 400);
}

#[test]
fn cookie_parameters_are_required_and_validated() {
    let stub = stub();
    let get = |cookie: Option<&str>| {
        let headers: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
        send(&stub, "GET", "/session", &headers, "")
    };
    assert_eq!(get(Some("session=s-12")), 200);
    assert_eq!(
        get(Some("theme=dark; session=\"s-12\"")),
        200,
        "among others, quoted"
    );
    assert_eq!(get(None), 400, "the cookie is required");
    assert_eq!(get(Some("theme=dark")), 400, "another cookie is not it");
    assert_eq!(get(Some("session=nope")), 400, "the pattern holds");
}

#[test]
fn header_parameters_are_validated_against_their_schema() {
    let stub = stub();
    let get = |priority: &str| {
        send(
            &stub,
            "GET",
            "/session",
            &[("cookie", "session=s-1"), ("x-priority", priority)],
            "",
        )
    };
    assert_eq!(get("3"), 200);
    assert_eq!(get("9"), 400, "maximum 5");
    assert_eq!(get("0"), 400, "minimum 1");
    assert_eq!(get("high"), 400, "an integer");
}

#[test]
fn integers_are_held_to_the_width_of_their_format() {
    let stub = stub();
    let get = |path: &str| send(&stub, "GET", path, &[], "");
    assert_eq!(get("/counts/2147483647"), 200, "i32::MAX");
    assert_eq!(get("/counts/-2147483648"), 200, "i32::MIN");
    assert_eq!(get("/counts/2147483648"), 400, "past int32");
    assert_eq!(get("/counts/-2147483649"), 400, "below int32");
    assert_eq!(get("/counts/1?total=9223372036854775807"), 200, "i64::MAX");
    assert_eq!(
        get("/counts/1?total=9223372036854775808"),
        400,
        "past int64"
    );
    let note = |extra: &str| format!(r#"{{"title": "milk", "pinned": true, {extra}}}"#);
    assert_eq!(post(&stub, JSON, &note(r#""stars": 2147483647"#)), 201);
    assert_eq!(post(&stub, JSON, &note(r#""stars": 2147483648"#)), 400);
    assert_eq!(
        post(&stub, JSON, &note(r#""id": -9223372036854775808"#)),
        201
    );
    assert_eq!(
        post(&stub, JSON, &note(r#""id": -9223372036854775809"#)),
        400
    );
    assert_eq!(
        post(&stub, JSON, &note(r#""id": 9223372036854775808"#)),
        400
    );
}

#[test]
fn form_body_faults_are_refused() {
    let stub = stub();
    assert_eq!(
        post(&stub, FORM, "title=milk&pinned=true&tags=a&tags=b"),
        201
    );
    assert_eq!(post(&stub, FORM, "title=milk&pinned=false"), 201);
    assert_eq!(
        post(&stub, FORM, "title=milk&pinned=maybe"),
        400,
        "a boolean"
    );
    assert_eq!(post(&stub, FORM, "pinned=true"), 400, "title is required");
    let long = format!("title={}&pinned=true", "m".repeat(21));
    assert_eq!(post(&stub, FORM, &long), 400, "maxLength 20");
    assert_eq!(
        post(&stub, FORM, "title=milk&pinned=true&stars=2147483648"),
        400,
        "past int32"
    );
    assert_eq!(
        post(&stub, FORM, "title=milk&pinned=true&tags=long"),
        400,
        "an item past maxLength 3"
    );
    // An object field is JSON, as OpenAPI's Encoding Object has it by default.
    let author = "title=milk&pinned=true&author=%7B%22name%22%3A%22ada%22%7D";
    assert_eq!(post(&stub, FORM, author), 201);
    let nameless = "title=milk&pinned=true&author=%7B%7D";
    assert_eq!(
        post(&stub, FORM, nameless),
        400,
        "the author's name is required"
    );
    let bare = "title=milk&pinned=true&author=ada";
    assert_eq!(post(&stub, FORM, bare), 400, "not an object");
}

#[test]
fn xml_bodies_are_read_by_their_xml_objects_and_validated() {
    let stub = stub();
    let valid = r#"<note lang="en"><title>milk</title><pinned>true</pinned><stars>3</stars><tags><tag>a</tag><tag>b</tag></tags></note>"#;
    assert_eq!(post(&stub, XML, valid), 201);
    assert_eq!(
        post(&stub, "text/xml", valid),
        415,
        "only application/xml is declared"
    );
    for (why, body) in [
        ("malformed", "<note><title>milk</title>"),
        ("not XML at all", r#"{"title": "milk", "pinned": true}"#),
        ("text where an object is expected", "<note>true</note>"),
        (
            "empty boolean",
            "<note><title>milk</title><pinned></pinned></note>",
        ),
        (
            "not a boolean",
            "<note><title>milk</title><pinned>maybe</pinned></note>",
        ),
        ("title is required", "<note><pinned>true</pinned></note>"),
        (
            "past int32",
            "<note><title>m</title><pinned>true</pinned><stars>2147483648</stars></note>",
        ),
        (
            "the attribute is an enum",
            r#"<note lang="de"><title>m</title><pinned>true</pinned></note>"#,
        ),
        (
            "a wrapped item past maxLength 3",
            "<note><title>m</title><pinned>true</pinned><tags><tag>long</tag></tags></note>",
        ),
        (
            "elements where a string is expected",
            "<note><title><b>m</b></title><pinned>true</pinned></note>",
        ),
    ] {
        assert_eq!(post(&stub, XML, body), 400, "{why}");
    }
}

/// Schemathesis' `response_schema_conformance` on PagerDuty SCIM: a created item kept what
/// the request sent, `writeOnly` `timezone` included, and echoed it. It never answers them.
#[test]
fn a_created_item_never_answers_its_write_only_properties() {
    let stub = stub();
    let account = r#"{"name": "ada", "password": "pw", "profile": {"pin": "1", "bio": "hi"}}"#;
    let request = |method: &str, path: &str, body: &str| StubRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        query: Vec::new(),
        headers: vec![("content-type".to_owned(), JSON.to_owned())],
        body: body.as_bytes().to_vec(),
    };
    let created = stub.respond(&request("POST", "/accounts", account));
    assert_eq!(created.status, 201);
    let body = created.json_body().expect("json");
    assert_eq!(
        (&body["name"], &body["profile"]["bio"]),
        (&json!("ada"), &json!("hi"))
    );
    assert!(body.get("password").is_none(), "{body}");
    assert!(body["profile"].get("pin").is_none(), "{body}");
    let id = &body["id"];
    let read = stub.respond(&request("GET", &format!("/accounts/{id}"), ""));
    assert_eq!(read.status, 200);
    let body = read.json_body().expect("json");
    assert_eq!(body["name"], "ada");
    assert!(body.get("password").is_none(), "{body}");
}
