//! contractor's integration tests: the loader on its own fixtures, on the shared corpus (when
//! `../shared` is beside the repo), the `lint` command's exit codes, text and JSON, and goldens
//! of the error messages for broken inputs (`UPDATE_GOLDENS=1` rewrites them).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use contractor::spec::{
    self, Api, Direction, ErrorSource, LoadOptions, Loaded, Method, ParamLocation, StatusKey,
};
use serde_json::{json, Value};

// ---- a small DSL -------------------------------------------------------------------------

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` relative to the repo (as CI lays it out), or `None` with a printed reason.
fn shared(test: &str) -> Option<PathBuf> {
    let dir = Path::new("..").join("shared");
    if manifest_dir().join(&dir).join("corpus").is_dir() {
        // Tests run in the manifest dir; keep the path relative so messages stay stable.
        Some(dir)
    } else {
        println!("skipped {test}: ../shared/corpus is absent (a fresh clone has none)");
        None
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new("tests/fixtures").join(name)
}

fn load(path: &Path) -> Loaded {
    spec::load(path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load_api(path: &Path) -> Api {
    let mut loaded = load(path);
    assert_eq!(loaded.apis.len(), 1, "{}", path.display());
    loaded.apis.remove(0)
}

fn codes(api: &Api, op: &str) -> Vec<String> {
    api.operation(op)
        .unwrap_or_else(|| panic!("no operation {op}"))
        .error_codes
        .iter()
        .map(|c| c.name.clone())
        .collect()
}

fn contractor(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_contractor"))
        .args(args)
        .current_dir(manifest_dir())
        .output()
        .expect("run contractor");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn validate(api: &Api, schema: &spec::SchemaRef, direction: Direction, instance: &Value) -> bool {
    api.schemas
        .validator(schema, direction)
        .unwrap_or_else(|e| panic!("{e}"))
        .is_valid(instance)
}

fn response_schema(api: &Api, op: &str, status: u16) -> spec::SchemaRef {
    let op = api.operation(op).expect("operation");
    let response = op.response_for(status).expect("response");
    response.content[0].schema.clone().expect("schema")
}

fn check_golden(input: &Path, golden: &Path) {
    let reports = contractor::lint::run(&[input.to_owned()], &LoadOptions::default());
    assert_eq!(
        contractor::lint::exit_code(&reports),
        2,
        "{} should fail",
        input.display()
    );
    let actual = contractor::lint::render_text(&reports);
    if std::env::var_os("UPDATE_GOLDENS").is_some() {
        std::fs::write(golden, &actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(golden).unwrap_or_else(|_| {
        panic!(
            "missing golden {} (run with UPDATE_GOLDENS=1)",
            golden.display()
        )
    });
    assert_eq!(actual, expected, "golden {} differs", golden.display());
}

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
    let api = load_api(Path::new("specs/google-classroom/invitations.yaml"));
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
    let api = load_api(Path::new("specs/google-classroom/invitations.yaml"));
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

#[test]
fn upgrades_sloppy_swagger_in_front_matter() {
    let loaded = load(&fixture("sloppy-swagger.md"));
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    assert!(loaded.diagnostics[0]
        .message
        .contains("#/definitions/holder"));
    assert_eq!(
        loaded.diagnostics[0].location.pointer,
        "/paths/~1v2~1classes/post/parameters/0/schema/$ref"
    );
    let api = &loaded.apis[0];
    assert_eq!(api.version, "1.0", "a float version keeps its text");
    let urls: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(urls, ["http://school.test/v2", "https://school.test/v2"]);

    let list = api.operation("GET /v2/classes").expect("derived id");
    assert!(list.id_derived);
    assert!(list.request_body.is_none(), "no body is invented for a GET");
    assert!(
        list.parameters[0].schema.is_none(),
        "an untyped parameter is unconstrained"
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
    let text = std::fs::read_to_string("specs/google-classroom/invitations.yaml").expect("spec");
    let dir = std::env::temp_dir().join(format!("contractor-trunc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
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

// ---- the lint command ------------------------------------------------------------------------

#[test]
fn lint_exits_0_on_warnings_and_2_on_any_failure() {
    let (code, out, _) = contractor(&["lint", "tests/fixtures/sloppy-swagger.md"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Swagger 2.0, 3 operations"), "{out}");
    assert!(out.contains("warning: dangling $ref"), "{out}");
    let (code, out, _) = contractor(&[
        "lint",
        "tests/fixtures/sloppy-swagger.md",
        "tests/fixtures/broken/swagger-3.yaml",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("2 files: 1 loaded, 1 failed"), "{out}");
}

#[test]
fn lint_json_lists_operations_error_codes_and_diagnostics() {
    let (code, out, _) = contractor(&[
        "lint",
        "--json",
        "specs/google-classroom/apis.yaml",
        "tests/fixtures/broken/bad-indent.yaml",
    ]);
    assert_eq!(code, 2);
    let files: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(files[0]["ok"], true);
    assert_eq!(files[0]["kind"]["type"], "listing");
    assert_eq!(files[0]["operation_count"], 5);
    let ops = files[0]["apis"][0]["operations"].as_array().expect("ops");
    let accept = ops
        .iter()
        .find(|o| o["id"] == "classroom.invitations.accept")
        .expect("accept");
    assert_eq!(accept["method"], "POST");
    assert_eq!(accept["path"], "/v1/invitations/{id}:accept");
    let fp = accept["error_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .find(|c| c["name"] == "FAILED_PRECONDITION")
        .expect("fp");
    assert_eq!(fp["reasons"].as_array().expect("reasons").len(), 4);
    assert_eq!(fp["http_status"], 400);
    assert_eq!(files[1]["ok"], false);
    assert_eq!(files[1]["diagnostics"][0]["location"]["line"], 4);
    assert_eq!(files[1]["diagnostics"][0]["location"]["column"], 11);
}

#[test]
fn unknown_subcommand_and_missing_paths_are_usage_errors() {
    let (code, _, err) = contractor(&["lint"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = contractor(&["lnit", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("lint"), "suggests the near match: {err}");
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
    let dir = std::env::temp_dir().join(format!("contractor-fetch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
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

// ---- the shared corpus ----------------------------------------------------------------------

/// Expected operation counts, from `python3 tests/tools/count_operations.py` (paths x methods
/// counted without contractor), and for listings the distinct operations of the specs found.
const CORPUS_COUNTS: &[(&str, usize)] = &[
    ("swagger2/googleapis-classroom-v1-swagger.yaml", 56),
    ("swagger2/petstore-expanded.json", 4),
    ("swagger2/petstore.yaml", 3),
    ("swagger2/petstore-separate/spec/swagger.yaml", 4),
    ("openapi3/googleapis-classroom-v1.yaml", 61),
    ("openapi3/pagerduty-scim.json", 10),
    ("openapi3/petstore-expanded.yaml", 4),
    ("openapi3/spotify-web-api.yml", 97),
    ("openapi3/swagger-petstore-v3.yaml", 19),
    ("openapi31/discord-openapi.json", 242),
    ("openapi31/non-oauth-scopes.yaml", 1),
    ("openapi31/webhook-example.yaml", 0),
    ("large/twilio_api_v2010.yaml", 197),
    ("streamdata/google-classroom-org/openapi.md", 42),
    ("streamdata/google-classroom/openapi.md", 5),
    (
        "streamdata/google-classroom/v1invitations-get-openapi.md",
        5,
    ),
    (
        "streamdata/google-classroom/v1invitations-post-openapi.md",
        5,
    ),
    (
        "streamdata/google-classroom/v1invitationsid-delete-openapi.md",
        5,
    ),
    (
        "streamdata/google-classroom/v1invitationsid-get-openapi.md",
        5,
    ),
    (
        "streamdata/google-classroom/v1invitationsidaccept-post-openapi.md",
        5,
    ),
    // Listings: the five per-operation files are the same five operations; the JSON listing
    // finds only google-classroom/openapi.md beside it; the org listing's files are not saved.
    ("streamdata/google-classroom/apis.md", 5),
    ("streamdata/invitations-apis.json", 5),
    ("streamdata/google-classroom-org/apis.md", 0),
];

#[test]
fn every_corpus_spec_loads_with_the_right_operation_count() {
    let Some(shared) = shared("every_corpus_spec_loads_with_the_right_operation_count") else {
        return;
    };
    let corpus = shared.join("corpus");
    let mut seen = 0;
    for (file, expected) in CORPUS_COUNTS {
        let path = corpus.join(file);
        let (code, out, err) = contractor(&["lint", &path.to_string_lossy()]);
        assert_eq!(code, 0, "{file}: {out}{err}");
        let loaded = load(&path);
        let ops: usize = loaded.apis.iter().map(|a| a.operations.len()).sum();
        assert_eq!(ops, *expected, "{file}");
        seen += 1;
    }
    // Every spec-looking file of those folders is in the table.
    let mut on_disk = 0;
    for folder in ["swagger2", "openapi3", "openapi31", "large", "streamdata"] {
        on_disk += walk(&corpus.join(folder))
            .iter()
            .filter(|p| {
                !p.to_string_lossy().contains("petstore-separate") || p.ends_with("swagger.yaml")
            })
            .count();
    }
    assert_eq!(seen, on_disk, "a corpus file is missing from CORPUS_COUNTS");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn corpus_broken_inputs_fail_with_located_golden_messages() {
    let Some(shared) = shared("corpus_broken_inputs_fail_with_located_golden_messages") else {
        return;
    };
    let broken = shared.join("corpus/broken");
    let circular = load(&broken.join("circular-ref-legal.yaml"));
    let api = &circular.apis[0];
    let pet = response_schema(api, "find pet by id", 200);
    let ok = json!({"id": 1, "name": "a", "children": [{"id": 2, "name": "b", "parent": {"id": 1, "name": "a"}}]});
    assert!(
        validate(api, &pet, Direction::Response, &ok),
        "the cyclic schema validates"
    );
    for entry in std::fs::read_dir(&broken).expect("broken") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name == "circular-ref-legal.yaml" {
            continue;
        }
        check_golden(
            &path,
            &Path::new("tests/golden/corpus-broken").join(format!("{name}.expected")),
        );
    }
}

#[test]
fn seed_listing_with_mirror_finds_five_operations_and_their_error_codes() {
    let Some(shared) =
        shared("seed_listing_with_mirror_finds_five_operations_and_their_error_codes")
    else {
        return;
    };
    let seed = shared.join("seeds/000_b6ae3fca0c0074ce.txt");
    let mirror = shared.join("corpus/streamdata/google-classroom");
    let (code, out, _) = contractor(&[
        "lint",
        &seed.to_string_lossy(),
        "--mirror",
        &mirror.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("5 of 5 listed specs loaded, 1 API, 5 distinct operations"),
        "{out}"
    );
    let loaded = spec::load(
        &seed,
        &LoadOptions {
            mirrors: vec![mirror],
            fetch: false,
        },
    )
    .expect("seed");
    assert_eq!(loaded.apis.len(), 1);
    let api = &loaded.apis[0];
    assert_eq!(api.title, "Google Classroom");
    assert_eq!(api.operations.len(), 5);
    let expect: &[(&str, &[&str])] = &[
        ("classroom.invitations.list", &["PERMISSION_DENIED"]),
        (
            "classroom.invitations.create",
            &[
                "PERMISSION_DENIED",
                "NOT_FOUND",
                "FAILED_PRECONDITION",
                "ALREADY_EXISTS",
            ],
        ),
        (
            "classroom.invitations.get",
            &["PERMISSION_DENIED", "NOT_FOUND"],
        ),
        (
            "classroom.invitations.delete",
            &["PERMISSION_DENIED", "NOT_FOUND"],
        ),
        (
            "classroom.invitations.accept",
            &["PERMISSION_DENIED", "FAILED_PRECONDITION", "NOT_FOUND"],
        ),
    ];
    for (op, names) in expect {
        assert_eq!(codes(api, op), *names, "{op}");
    }
    let accept = api
        .operation("classroom.invitations.accept")
        .expect("accept");
    let fp = &accept.error_codes[1];
    assert_eq!(
        fp.reasons,
        [
            "CourseMemberLimitReached",
            "CourseNotModifiable",
            "CourseTeacherLimitReached",
            "UserGroupsMembershipLimitReached"
        ]
    );
    assert!(
        fp.location.pointer.ends_with("/post/description"),
        "{}",
        fp.location
    );
    // Without a mirror the listed files are not found: warned, not fatal.
    let bare = load(&seed);
    assert_eq!(bare.apis.len(), 0);
    assert_eq!(bare.diagnostics.len(), 5);
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
    let dir = std::env::temp_dir().join(format!("contractor-chain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
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
