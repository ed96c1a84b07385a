//! The loader on the shipped spec and on contractor's own fixtures.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use contractor::spec::{
    self, Api, Direction, ErrorSource, LoadOptions, Method, ParamLocation, StatusKey,
};
use serde_json::{json, Value};

use crate::support::*;

// ---- the shipped spec and listing -----------------------------------------------------------

#[test]
fn shipped_listing_and_spec_load_with_zero_warnings() {
    for path in [
        "specs/google-classroom/apis.yaml",
        "specs/google-classroom/invitations.yaml",
    ] {
        let loaded = load(Path::new(path));
        assert!(
            loaded.diagnostics.is_empty(),
            "{path}: {:?}",
            loaded.diagnostics
        );
        assert_eq!(loaded.apis.len(), 1);
        assert_eq!(loaded.apis[0].operations.len(), 5, "{path}");
    }
}

#[test]
fn shipped_spec_documents_every_invitations_error_code_in_prose_and_responses() {
    let api = classroom_api();
    let accept = api
        .operation("classroom.invitations.accept")
        .expect("accept");
    let fp = accept
        .error_codes
        .iter()
        .find(|c| c.name == "FAILED_PRECONDITION")
        .expect("FAILED_PRECONDITION");
    assert_eq!(fp.http_status, Some(400));
    assert_eq!(fp.source, ErrorSource::Both);
    assert_eq!(
        fp.reasons,
        [
            "CourseMemberLimitReached",
            "CourseNotModifiable",
            "CourseTeacherLimitReached",
            "UserGroupsMembershipLimitReached"
        ]
    );
    for op in &api.operations {
        for code in &op.error_codes {
            assert_eq!(
                code.source,
                ErrorSource::Both,
                "{} {} is documented once only",
                op.id,
                code.name
            );
        }
    }
    let create = codes(&api, "classroom.invitations.create");
    for code in [
        "PERMISSION_DENIED",
        "NOT_FOUND",
        "FAILED_PRECONDITION",
        "ALREADY_EXISTS",
    ] {
        assert!(create.contains(&code.to_owned()), "{create:?}");
    }
}

#[test]
fn invitation_id_is_required_in_responses_but_not_in_requests() {
    let api = classroom_api();
    let create = api
        .operation("classroom.invitations.create")
        .expect("create");
    let request = create.request_body.as_ref().expect("body").content[0]
        .schema
        .clone()
        .expect("schema");
    let response = response_schema(&api, "classroom.invitations.create", 200);
    let without_id = json!({"userId": "me", "courseId": "1", "role": "STUDENT"});
    let with_id = json!({"id": "i1", "userId": "me", "courseId": "1", "role": "STUDENT"});
    assert!(validate(&api, &request, Direction::Request, &without_id));
    assert!(!validate(&api, &response, Direction::Response, &without_id));
    assert!(validate(&api, &response, Direction::Response, &with_id));
    let bad_role = json!({"id": "i1", "userId": "me", "courseId": "1", "role": "JANITOR"});
    assert!(!validate(&api, &response, Direction::Response, &bad_role));
    let error = response_schema(&api, "classroom.invitations.create", 409);
    let body = json!({"error": {"code": 409, "message": "exists", "status": "ALREADY_EXISTS"}});
    assert!(validate(&api, &error, Direction::Response, &body));
    let wrong = json!({"error": {"code": 409, "message": "exists", "status": "NOT_FOUND"}});
    assert!(!validate(&api, &error, Direction::Response, &wrong));
}

// ---- our own fixtures -------------------------------------------------------------------------

#[test]
fn resolves_refs_across_files_including_parent_folders_and_refs_inside_referenced_files() {
    let api = load_api(&fixture("split/spec/api.yaml"));
    assert_eq!(api.servers[0].url, "https://eu.library.test/api");
    let list = api.operation("listBooks").expect("listBooks");
    let names: Vec<&str> = list.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["pageSize", "order"]);
    let get = api.operation("getBook").expect("getBook");
    assert!(
        get.parameters[0].required,
        "path parameters are always required"
    );
    let book = response_schema(&api, "getBook", 200);
    let ok = json!({"id": 7, "isbn": "978-3-16-148410-0", "title": "Dune", "subtitle": null,
                    "related": [{"id": 8, "isbn": "978-0-00-000000-2", "title": "Children of Dune"}]});
    assert!(validate(&api, &book, Direction::Response, &ok));
    let nested_bad = json!({"id": 7, "isbn": "978-3-16-148410-0", "title": "Dune",
                            "related": [{"id": 8, "isbn": "978-0-00-000000-2"}]});
    assert!(
        !validate(&api, &book, Direction::Response, &nested_bad),
        "the self-reference applies"
    );
    let too_big = json!({"id": 2_147_483_648_i64, "isbn": "978-3-16-148410-0", "title": "Dune"});
    assert!(
        !validate(&api, &book, Direction::Response, &too_big),
        "int32 is a bound"
    );
    let problem = response_schema(&api, "addBook", 409);
    assert!(validate(
        &api,
        &problem,
        Direction::Response,
        &json!({"title": "dup", "status": 409})
    ));
    assert!(!validate(
        &api,
        &problem,
        Direction::Response,
        &json!({"title": "dup"})
    ));
    let codes = codes(&api, "getBook");
    assert_eq!(codes, ["404"], "a bare status is its own error outcome");
}

/// The dangling `$ref`, and two parameters with no type (read as strings, issue 9).
fn says_what_sloppy_swagger_lacks(loaded: &contractor::spec::Loaded) {
    let [untyped_list, holder, untyped_accept] = &loaded.diagnostics[..] else {
        panic!("{:?}", loaded.diagnostics);
    };
    assert!(holder.message.contains("#/definitions/holder"));
    assert_eq!(
        holder.location.pointer,
        "/paths/~1v2~1classes/post/parameters/0/schema/$ref"
    );
    for (d, name) in [(untyped_list, "pageSize"), (untyped_accept, "id")] {
        let said = format!("parameter '{name}' has no type: read as a string");
        assert!(d.message.contains(&said), "{}", d.message);
    }
}

#[test]
fn upgrades_sloppy_swagger_in_front_matter() {
    let loaded = load(&fixture("sloppy-swagger.md"));
    says_what_sloppy_swagger_lacks(&loaded);
    let api = &loaded.apis[0];
    assert_eq!(api.version, "1.0", "a float version keeps its text");
    let urls: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(urls, ["http://school.test/v2", "https://school.test/v2"]);

    let list = api.operation("GET /v2/classes").expect("derived id");
    assert!(list.id_derived);
    assert!(list.request_body.is_none(), "no body is invented for a GET");
    let untyped = list.parameters[0]
        .schema
        .as_ref()
        .expect("a guessed schema");
    assert_eq!(
        api.schemas
            .types(api.schemas.get(untyped).expect("in the bundle")),
        ["string"],
        "an untyped parameter is read as a string (issue 9)"
    );
    assert_eq!(list.parameters[1].style, "form");
    assert!(
        list.parameters[1].explode,
        "collectionFormat multi explodes"
    );
    assert_eq!(list.error_codes[0].name, "PERMISSION_DENIED");
    assert_eq!(
        list.response_for(200).expect("200").status,
        StatusKey::Code(200)
    );

    let create = api.operation("classes.create").expect("create");
    let body = create.request_body.as_ref().expect("body");
    assert!(body.required);
    assert_eq!(body.content[0].name, "application/json");
    let schema = body.content[0].schema.clone().expect("schema");
    assert!(validate(
        api,
        &schema,
        Direction::Request,
        &json!({"anything": [1]})
    ));
    assert_eq!(codes(api, "classes.create"), ["ALREADY_EXISTS"]);

    let accept = api.operation("classes.accept").expect("accept");
    assert_eq!(accept.method, Method::Post);
    assert_eq!(accept.path, "/v2/classes/{id}:accept");
    assert_eq!(accept.parameters.len(), 1);
    assert_eq!(accept.parameters[0].location, ParamLocation::Path);
    assert!(
        accept.parameters[0].required,
        "path parameter without required: true"
    );
    let form = accept.request_body.as_ref().expect("form body");
    assert_eq!(form.content[0].name, "multipart/form-data");
    let form_schema = form.content[0].schema.clone().expect("schema");
    assert!(validate(
        api,
        &form_schema,
        Direction::Request,
        &json!({"note": "hi"})
    ));
    assert!(!validate(
        api,
        &form_schema,
        Direction::Request,
        &json!({"attachment": "x"})
    ));

    let class_list = response_schema(api, "GET /v2/classes", 200);
    let ok = json!({"classes": [{"name": "5b", "room": null, "size": 30}]});
    assert!(
        validate(api, &class_list, Direction::Response, &ok),
        "x-nullable allows null"
    );
    let bad = json!({"classes": [{"name": "5b", "size": 4_294_967_296_i64}]});
    assert!(!validate(api, &class_list, Direction::Response, &bad));
}

#[test]
fn reads_openapi_31_as_draft_2020_12_with_formats() {
    let api = load_api(&fixture("openapi31.yaml"));
    let op = api.operation("create_message").expect("op");
    assert!(op.responses.iter().any(|r| r.status == StatusKey::Range(4)));
    assert_eq!(op.error_codes[0].name, "4XX");
    let message = response_schema(&api, "create_message", 200);
    let ok = json!({"id": "1", "kind": "message", "sent_at": "2026-11-27T10:00:00Z",
                    "reply_to": {"id": "0", "kind": "message", "sent_at": "2026-11-26T10:00:00Z"}});
    assert!(validate(&api, &message, Direction::Response, &ok));
    let bad_date = json!({"id": "1", "kind": "message", "sent_at": "yesterday"});
    assert!(
        !validate(&api, &message, Direction::Response, &bad_date),
        "formats are checked"
    );
    let bad_const = json!({"id": "1", "kind": "note", "sent_at": "2026-11-27T10:00:00Z"});
    assert!(!validate(&api, &message, Direction::Response, &bad_const));
    let error = response_schema(&api, "create_message", 404);
    assert!(validate(
        &api,
        &error,
        Direction::Response,
        &json!({"code": 1, "errors": {"code": 2}})
    ));
}

#[test]
fn broken_fixtures_print_their_golden_errors() {
    let dir = fixture("broken");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e != "expected"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 7);
    for input in inputs {
        check_golden(&input, &input.with_extension("expected"));
    }
}

#[test]
fn truncated_inputs_never_panic() {
    let text = std::fs::read_to_string(CLASSROOM_SPEC).expect("spec");
    let dir = tmp_dir("trunc");
    let path = dir.join("cut.yaml");
    let mut cut = 0;
    while cut < text.len() {
        if text.is_char_boundary(cut) {
            std::fs::write(&path, &text[..cut]).expect("write");
            // Loads or fails with an error; a panic fails the test.
            let _ = spec::load(&path, &LoadOptions::default());
        }
        cut += 211;
    }
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

/// Serves `body` for every request on a loopback port, `count` times, then stops.
fn serve(body: &'static str, count: usize) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/yaml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (format!("http://{addr}"), handle)
}

#[test]
fn listing_fetches_over_http_only_with_fetch() {
    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: Remote, version: '1'}\npaths:\n  /ping:\n    get:\n      responses:\n        '200': {description: pong}\n";
    let (base, server) = serve(SPEC, 1);
    let dir = tmp_dir("fetch");
    let listing = dir.join("apis.yaml");
    std::fs::write(
        &listing,
        format!("name: Remote\napis:\n- name: r\n  properties:\n  - type: x-openapi-spec\n    url: {base}/specs/remote.yaml\n"),
    )
    .expect("write");
    let offline = load(&listing);
    assert_eq!(offline.apis.len(), 0);
    assert!(
        offline.diagnostics[0].message.contains("--fetch"),
        "{:?}",
        offline.diagnostics
    );
    let online = spec::load(
        &listing,
        &LoadOptions {
            mirrors: vec![],
            fetch: true,
        },
    )
    .expect("fetched");
    assert_eq!(online.apis[0].operations[0].id, "GET /ping");
    server.join().expect("server");
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

// ---- regressions from the review of issue 2 ---------------------------------------------------

/// Every schema an API's operations name, in both directions.
fn compile_all(api: &Api) {
    for op in &api.operations {
        let params = op.parameters.iter().filter_map(|p| p.schema.clone());
        let bodies = op
            .request_body
            .iter()
            .flat_map(|b| b.content.iter())
            .filter_map(|m| m.schema.clone());
        let responses = op
            .responses
            .iter()
            .flat_map(|r| r.content.iter())
            .filter_map(|m| m.schema.clone());
        for schema in params.chain(bodies).chain(responses) {
            for direction in [Direction::Request, Direction::Response] {
                if let Err(e) = api.schemas.validator(&schema, direction) {
                    panic!("{} {:?}: {e}", op.id, schema);
                }
            }
        }
    }
}

#[test]
fn schema_names_that_are_not_uri_safe_still_compile() {
    let api = load_api(&fixture("review/odd-names.yaml"));
    compile_all(&api);
    let list = response_schema(&api, "listPets", 200);
    assert!(validate(
        &api,
        &list,
        Direction::Response,
        &json!({"body": [{"name": "rex"}]})
    ));
    assert!(!validate(
        &api,
        &list,
        Direction::Response,
        &json!({"body": [{}]})
    ));
    let odd = response_schema(&api, "listPets", 404);
    assert!(validate(&api, &odd, Direction::Response, &json!("café")));
}

#[test]
fn bad_refs_and_keywords_are_warned_and_never_break_other_schemas() {
    let loaded = load(&fixture("review/shapes.yaml"));
    let messages: Vec<&str> = loaded
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 6, "{messages:#?}");
    let api = &loaded.apis[0];
    compile_all(api);
    // `required: [id]` beside a readOnly `id` in another allOf part: not required in requests.
    let create = api
        .operation("createThing")
        .expect("op")
        .request_body
        .as_ref()
        .expect("body")
        .content[0]
        .schema
        .clone()
        .expect("schema");
    assert!(validate(
        api,
        &create,
        Direction::Request,
        &json!({"name": "n"})
    ));
    assert!(!validate(api, &create, Direction::Request, &json!({})));
    assert!(!validate(
        api,
        &create,
        Direction::Response,
        &json!({"name": "n"})
    ));
    // A nullable allOf: null passes, readOnly still drops in requests, a ref into its part works.
    let nullable = response_schema(api, "createThing", 200);
    assert!(validate(api, &nullable, Direction::Response, &Value::Null));
    assert!(!validate(api, &nullable, Direction::Response, &json!({})));
    assert!(validate(api, &nullable, Direction::Request, &json!({})));
    let part = response_schema(api, "createThing", 201);
    assert!(!validate(api, &part, Direction::Response, &json!({"x": 1})));
}

#[test]
fn long_chains_of_bare_refs_collapse() {
    let dir = tmp_dir("chain");
    let path = dir.join("chain.yaml");
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: chain, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A0'}\ncomponents:\n  schemas:\n",
    );
    for i in 0..20_000 {
        text.push_str(&format!(
            "    A{i}: {{$ref: '#/components/schemas/A{}'}}\n",
            i + 1
        ));
    }
    text.push_str("    A20000: {type: string}\n");
    std::fs::write(&path, text).expect("write");
    let loaded = load(&path);
    assert_eq!(
        loaded.diagnostics.len(),
        1,
        "a chain over 64 links is cut with a warning"
    );
    let api = &loaded.apis[0];
    compile_all(api);
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
