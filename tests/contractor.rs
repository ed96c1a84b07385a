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

/// Gives `cmd` every fixture user's credentials as `{prefix}{USER}`, and the teacher's as
/// `{prefix}DEFAULT`, as a real target's identities would be supplied.
fn with_identities(
    cmd: &mut Command,
    fixture: &contractor::stub::classroom::Fixture,
    prefix: &str,
) {
    for (name, user) in &fixture.users {
        cmd.env(
            format!("{prefix}{}", name.to_ascii_uppercase()),
            format!("Bearer {}", user.token),
        );
    }
    cmd.env(
        format!("{prefix}DEFAULT"),
        format!("Bearer {}", fixture.users["teacher"].token),
    );
}

/// Sends SIGTERM, by PID, to a child process this test started when the guard goes out of
/// scope (also when the test panics), so no stub outlives its test.
struct ChildGuard(u32);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.to_string()])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

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

// ---- the Classroom emulator, over HTTP -----------------------------------------------------

mod classroom {
    use super::*;
    use contractor::stub::http::HttpStub;
    use contractor::stub::router::{best_match, PathTemplate};
    use contractor::stub::{Emulator, Mutant, Responder};
    use std::sync::Arc;
    use std::time::Duration;

    /// An emulator served by the hyper adapter, a blocking client, and the shipped spec to
    /// check every response against.
    pub struct Harness {
        pub rt: tokio::runtime::Runtime,
        pub stub: Option<HttpStub>,
        pub client: reqwest::blocking::Client,
        pub api: Api,
        pub fixture: contractor::stub::classroom::Fixture,
        /// Check each response against the spec (off for mutants, which break it on purpose).
        pub conform: bool,
    }

    pub struct Reply {
        pub status: u16,
        pub body: Value,
        pub content_type: String,
    }

    impl Reply {
        pub fn code(&self) -> &str {
            self.body["error"]["status"].as_str().unwrap_or("")
        }
        pub fn message(&self) -> &str {
            self.body["error"]["message"].as_str().unwrap_or("")
        }
    }

    impl Harness {
        pub fn new(mutants: &[Mutant]) -> Harness {
            contractor::install_crypto_provider();
            let fixture = contractor::stub::classroom::Fixture::shipped();
            let emulator: Arc<dyn Responder> =
                Arc::new(Emulator::new(&fixture, mutants, Duration::from_millis(300)));
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            let addr = "127.0.0.1:0".parse().expect("addr");
            let stub = rt
                .block_on(HttpStub::start(addr, emulator))
                .expect("start stub");
            Harness {
                rt,
                stub: Some(stub),
                client: reqwest::blocking::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()
                    .expect("client"),
                api: load_api(Path::new("specs/google-classroom/invitations.yaml")),
                fixture,
                conform: mutants.is_empty(),
            }
        }

        pub fn token(&self, user: &str) -> String {
            self.fixture.users[user].token.clone()
        }

        pub fn id(&self, key: &str) -> String {
            self.fixture.symbols()[key].clone()
        }

        pub fn send(
            &self,
            who: Option<&str>,
            method: &str,
            path: &str,
            body: Option<Value>,
        ) -> Reply {
            let url = format!("{}{path}", self.stub.as_ref().expect("running").url());
            let mut req = self.client.request(
                reqwest::Method::from_bytes(method.as_bytes()).expect("method"),
                url,
            );
            if let Some(user) = who {
                req = req.bearer_auth(self.token(user));
            }
            if let Some(body) = body {
                req = req
                    .header("content-type", "application/json")
                    .body(body.to_string());
            }
            let res = req.send().expect("send");
            let status = res.status().as_u16();
            let content_type = res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let text = res.text().expect("body");
            let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
            let reply = Reply {
                status,
                body,
                content_type,
            };
            if self.conform {
                self.check_conformance(method, path, &reply);
            }
            reply
        }

        /// The response is documented for the operation and its body validates.
        fn check_conformance(&self, method: &str, path: &str, reply: &Reply) {
            let path_only = path.split('?').next().unwrap_or(path);
            let templates: Vec<PathTemplate> = self
                .api
                .operations
                .iter()
                .map(|o| PathTemplate::new(&o.path))
                .collect();
            let candidates = templates
                .iter()
                .enumerate()
                .filter(|(i, _)| self.api.operations[*i].method.as_str() == method);
            let (index, _) = best_match(candidates, path_only).expect("a documented operation");
            let op = &self.api.operations[index];
            let response = op
                .response_for(reply.status)
                .unwrap_or_else(|| panic!("{} answered undocumented {}", op.id, reply.status));
            assert!(
                reply.content_type.starts_with("application/json"),
                "{}: content type {}",
                op.id,
                reply.content_type
            );
            let schema = response.content[0].schema.clone().expect("schema");
            let validator = self
                .api
                .schemas
                .validator(&schema, Direction::Response)
                .expect("compile");
            let errors: Vec<String> = validator
                .iter_errors(&reply.body)
                .map(|e| e.to_string())
                .collect();
            assert!(
                errors.is_empty(),
                "{} {}: {errors:?}\n{}",
                op.id,
                reply.status,
                reply.body
            );
        }

        pub fn create(&self, who: &str, user: &str, course: &str, role: &str) -> Reply {
            let body = json!({"userId": user, "courseId": self.id(course), "role": role});
            self.send(Some(who), "POST", "/v1/invitations", Some(body))
        }

        pub fn email(&self, user: &str) -> String {
            self.fixture.users[user].email.clone()
        }
    }

    impl Drop for Harness {
        fn drop(&mut self) {
            if let Some(stub) = self.stub.take() {
                self.rt.block_on(stub.shutdown());
            }
        }
    }

    #[test]
    fn create_documents_every_outcome() {
        let h = Harness::new(&[]);
        // UNAUTHENTICATED: no token, unknown token.
        assert_eq!(
            h.send(None, "POST", "/v1/invitations", Some(json!({})))
                .status,
            401
        );
        // INVALID_ARGUMENT: role unspecified.
        let r = h.create(
            "teacher",
            &h.email("invitee"),
            "active_course",
            "COURSE_ROLE_UNSPECIFIED",
        );
        assert_eq!((r.status, r.code()), (400, "INVALID_ARGUMENT"));
        // PERMISSION_DENIED: a student, and a teacher of another course.
        let r = h.create("student", &h.email("invitee"), "active_course", "STUDENT");
        assert_eq!((r.status, r.code()), (403, "PERMISSION_DENIED"));
        let r = h.create("teacher", &h.email("invitee"), "other_course", "STUDENT");
        assert_eq!((r.status, r.code()), (403, "PERMISSION_DENIED"));
        // NOT_FOUND: unknown course, unknown user.
        let r = h.send(
            Some("teacher"),
            "POST",
            "/v1/invitations",
            Some(json!({"userId": "me", "courseId": "999", "role": "STUDENT"})),
        );
        assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
        let r = h.create(
            "teacher",
            "nobody@contractor.test",
            "active_course",
            "STUDENT",
        );
        assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
        // FAILED_PRECONDITION: disabled account; role already held (or a higher one).
        let r = h.create("teacher", &h.id("disabled"), "active_course", "STUDENT");
        assert_eq!((r.status, r.code()), (400, "FAILED_PRECONDITION"));
        let r = h.create("teacher", &h.id("student"), "active_course", "STUDENT");
        assert_eq!((r.status, r.code()), (400, "FAILED_PRECONDITION"));
        let r = h.create("teacher", &h.id("co_teacher"), "active_course", "STUDENT");
        assert_eq!(
            (r.status, r.code()),
            (400, "FAILED_PRECONDITION"),
            "a teacher already outranks a student"
        );
        // Success, then ALREADY_EXISTS for the same user and course (even with another role).
        let r = h.create("teacher", &h.email("invitee"), "active_course", "STUDENT");
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            r.body["userId"],
            h.id("invitee"),
            "an email resolves to the user id"
        );
        assert_eq!(r.body["courseId"], h.id("active_course"));
        assert!(r.body["id"].as_str().is_some_and(|s| !s.is_empty()));
        let r = h.create("teacher", &h.id("invitee"), "active_course", "TEACHER");
        assert_eq!((r.status, r.code()), (409, "ALREADY_EXISTS"));
        // An admin may invite to any course; `me` names the caller.
        let r = h.create("admin", &h.id("second_invitee"), "other_course", "STUDENT");
        assert_eq!(r.status, 200);
        let r = h.create("other_teacher", "me", "active_course", "STUDENT");
        assert_eq!(r.code(), "PERMISSION_DENIED");
    }

    #[test]
    fn get_and_delete_document_every_outcome() {
        let h = Harness::new(&[]);
        let id = h
            .create("teacher", &h.id("invitee"), "active_course", "STUDENT")
            .body["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let path = format!("/v1/invitations/{id}");
        for who in ["teacher", "co_teacher", "invitee", "admin"] {
            let r = h.send(Some(who), "GET", &path, None);
            assert_eq!(r.status, 200, "{who} may read it");
        }
        for who in ["student", "other_teacher", "second_invitee"] {
            let r = h.send(Some(who), "GET", &path, None);
            assert_eq!((r.status, r.code()), (403, "PERMISSION_DENIED"), "{who}");
            let r = h.send(Some(who), "DELETE", &path, None);
            assert_eq!((r.status, r.code()), (403, "PERMISSION_DENIED"), "{who}");
        }
        assert_eq!(h.send(None, "GET", &path, None).status, 401);
        let r = h.send(Some("teacher"), "GET", "/v1/invitations/424242", None);
        assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
        let r = h.send(Some("teacher"), "DELETE", "/v1/invitations/424242", None);
        assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
        let r = h.send(Some("teacher"), "DELETE", &path, None);
        assert_eq!((r.status, r.body.clone()), (200, json!({})));
        let r = h.send(Some("teacher"), "GET", &path, None);
        assert_eq!(r.code(), "NOT_FOUND", "a deleted invitation is gone");
    }

    #[test]
    fn accept_documents_every_outcome_and_reason() {
        let h = Harness::new(&[]);
        let invite = |user: &str, course: &str, role: &str| {
            let r = h.create("admin", &h.id(user), course, role);
            assert_eq!(r.status, 200, "{}", r.body);
            r.body["id"].as_str().expect("id").to_owned()
        };
        let accept = |who: &str, id: &str| {
            h.send(
                Some(who),
                "POST",
                &format!("/v1/invitations/{id}:accept"),
                None,
            )
        };
        let id = invite("invitee", "active_course", "STUDENT");
        let r = accept("teacher", &id);
        assert_eq!(
            (r.status, r.code()),
            (403, "PERMISSION_DENIED"),
            "only the invitee accepts"
        );
        let r = accept("invitee", "424242");
        assert_eq!((r.status, r.code()), (404, "NOT_FOUND"));
        let reasons = [
            (
                "invitee",
                "archived_course",
                "STUDENT",
                "CourseNotModifiable",
            ),
            (
                "invitee",
                "full_course",
                "STUDENT",
                "CourseMemberLimitReached",
            ),
            (
                "invitee",
                "teacher_full_course",
                "TEACHER",
                "CourseTeacherLimitReached",
            ),
            (
                "groups_limited",
                "active_course",
                "STUDENT",
                "UserGroupsMembershipLimitReached",
            ),
        ];
        for (user, course, role, reason) in reasons {
            let id = invite(user, course, role);
            let r = accept(user, &id);
            assert_eq!(
                (r.status, r.code()),
                (400, "FAILED_PRECONDITION"),
                "{reason}"
            );
            assert!(
                r.message().starts_with(&format!("@{reason} ")),
                "{}",
                r.message()
            );
        }
        // The encoded colon reaches the same operation.
        let r = h.send(
            Some("invitee"),
            "POST",
            &format!("/v1/invitations/{id}%3Aaccept"),
            None,
        );
        assert_eq!((r.status, r.body.clone()), (200, json!({})));
        let r = h.send(
            Some("invitee"),
            "GET",
            &format!("/v1/invitations/{id}"),
            None,
        );
        assert_eq!(r.code(), "NOT_FOUND", "accept removes the invitation");
        let r = h.create("teacher", &h.id("invitee"), "active_course", "STUDENT");
        assert_eq!(
            r.code(),
            "FAILED_PRECONDITION",
            "the invitee is now a student"
        );
        let r = h.create("teacher", &h.id("invitee"), "active_course", "TEACHER");
        assert_eq!(r.status, 200, "a higher role can still be offered");
    }

    #[test]
    fn list_filters_pages_and_checks_permissions() {
        let h = Harness::new(&[]);
        for user in ["invitee", "second_invitee", "groups_limited"] {
            for course in ["active_course", "archived_course"] {
                assert_eq!(
                    h.create("teacher", &h.id(user), course, "STUDENT").status,
                    200
                );
            }
        }
        let course = h.id("active_course");
        let r = h.send(Some("teacher"), "GET", "/v1/invitations", None);
        assert_eq!(
            (r.status, r.code()),
            (400, "INVALID_ARGUMENT"),
            "userId or courseId is needed"
        );
        let r = h.send(
            Some("student"),
            "GET",
            &format!("/v1/invitations?courseId={course}"),
            None,
        );
        assert_eq!((r.status, r.code()), (403, "PERMISSION_DENIED"));
        let r = h.send(
            Some("invitee"),
            "GET",
            &format!("/v1/invitations?userId={}", h.id("second_invitee")),
            None,
        );
        assert_eq!((r.status, r.code()), (403, "PERMISSION_DENIED"));
        let r = h.send(Some("invitee"), "GET", "/v1/invitations?userId=me", None);
        assert_eq!(
            r.body["invitations"].as_array().map(Vec::len),
            Some(2),
            "me: {}",
            r.body
        );
        // Paging through a stable order.
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut path = format!("/v1/invitations?courseId={course}&pageSize=2");
            if let Some(t) = &token {
                path.push_str(&format!("&pageToken={t}"));
            }
            let r = h.send(Some("teacher"), "GET", &path, None);
            assert_eq!(r.status, 200);
            for inv in r.body["invitations"].as_array().into_iter().flatten() {
                seen.push(inv["id"].as_str().expect("id").to_owned());
            }
            match r.body["nextPageToken"].as_str() {
                Some(t) => token = Some(t.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 3);
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 3, "no duplicates across pages");
        // A token from another query is INVALID_ARGUMENT.
        let first = h.send(
            Some("teacher"),
            "GET",
            &format!("/v1/invitations?courseId={course}&pageSize=1"),
            None,
        );
        let token = first.body["nextPageToken"]
            .as_str()
            .expect("token")
            .to_owned();
        let r = h.send(
            Some("teacher"),
            "GET",
            &format!(
                "/v1/invitations?courseId={}&pageToken={token}",
                h.id("archived_course")
            ),
            None,
        );
        assert_eq!((r.status, r.code()), (400, "INVALID_ARGUMENT"));
        // pageSize 0 means the default (500): everything in one page.
        let r = h.send(
            Some("teacher"),
            "GET",
            &format!("/v1/invitations?courseId={course}&pageSize=0"),
            None,
        );
        assert_eq!(r.body["invitations"].as_array().map(Vec::len), Some(3));
        assert!(r.body.get("nextPageToken").is_none());
    }

    #[test]
    fn concurrent_creates_for_one_user_and_course_let_exactly_one_win() {
        let h = Harness::new(&[]);
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..16)
                .map(|_| {
                    s.spawn(|| {
                        h.create("teacher", &h.id("invitee"), "active_course", "STUDENT")
                            .status
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|t| t.join().expect("thread"))
                .collect()
        });
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 409).count(),
            15,
            "{statuses:?}"
        );
    }

    #[test]
    fn state_is_fresh_per_server() {
        let a = Harness::new(&[]);
        assert_eq!(
            a.create("teacher", &a.id("invitee"), "active_course", "STUDENT")
                .status,
            200
        );
        let b = Harness::new(&[]);
        assert_eq!(
            b.create("teacher", &b.id("invitee"), "active_course", "STUDENT")
                .status,
            200
        );
    }

    /// Each mutant, switched on alone, shows the fault it names (and nothing else changes).
    #[test]
    fn every_mutant_breaks_its_clause() {
        for mutant in Mutant::ALL {
            let h = Harness::new(&[mutant]);
            let created = h.create("teacher", &h.id("invitee"), "active_course", "STUDENT");
            let id = match &created.body["id"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let get = |who: &str, id: &str| {
                h.send(Some(who), "GET", &format!("/v1/invitations/{id}"), None)
            };
            let name = mutant.name();
            match mutant {
                Mutant::WrongSuccessStatus => assert_eq!(created.status, 201, "{name}"),
                Mutant::UndocumentedStatus => {
                    assert_eq!(get("teacher", "424242").status, 410, "{name}")
                }
                Mutant::MissingRequiredField => {
                    assert!(created.body.get("courseId").is_none(), "{name}")
                }
                Mutant::WrongFieldType => assert!(created.body["id"].is_number(), "{name}"),
                Mutant::EnumOutOfRange => assert_eq!(created.body["role"], "GUEST", "{name}"),
                Mutant::WrongContentType => {
                    assert!(created.content_type.starts_with("text/plain"), "{name}")
                }
                Mutant::WrongErrorStatus => {
                    assert_eq!(get("teacher", "424242").code(), "UNKNOWN", "{name}")
                }
                Mutant::MissingReasonPrefix => {
                    let inv = h.create("teacher", &h.id("invitee"), "archived_course", "STUDENT");
                    let inv = inv.body["id"].as_str().expect("id").to_owned();
                    let r = h.send(
                        Some("invitee"),
                        "POST",
                        &format!("/v1/invitations/{inv}:accept"),
                        None,
                    );
                    assert_eq!(r.code(), "FAILED_PRECONDITION", "{name}");
                    assert!(!r.message().starts_with('@'), "{name}: {}", r.message());
                }
                Mutant::DuplicateCreateAccepted => {
                    let again = h.create("teacher", &h.id("invitee"), "active_course", "STUDENT");
                    assert_eq!(again.status, 200, "{name}");
                }
                Mutant::AcceptKeepsInvitation => {
                    let r = h.send(
                        Some("invitee"),
                        "POST",
                        &format!("/v1/invitations/{id}:accept"),
                        None,
                    );
                    assert_eq!(r.status, 200, "{name}");
                    assert_eq!(get("invitee", &id).status, 200, "{name}");
                }
                Mutant::DeleteKeepsInvitation => {
                    let r = h.send(
                        Some("teacher"),
                        "DELETE",
                        &format!("/v1/invitations/{id}"),
                        None,
                    );
                    assert_eq!(r.status, 200, "{name}");
                    assert_eq!(get("teacher", &id).status, 200, "{name}");
                }
                Mutant::PermissionsNotEnforced => {
                    assert_eq!(get("other_teacher", &id).status, 200, "{name}");
                    let r = h.create(
                        "student",
                        &h.id("second_invitee"),
                        "active_course",
                        "STUDENT",
                    );
                    assert_eq!(r.status, 200, "{name}");
                }
                Mutant::ServerErrorOnList => {
                    let r = h.send(Some("invitee"), "GET", "/v1/invitations?userId=me", None);
                    assert_eq!(r.status, 500, "{name}");
                }
                Mutant::SlowResponses => {
                    let start = std::time::Instant::now();
                    get("teacher", &id);
                    assert!(start.elapsed() >= Duration::from_millis(300), "{name}");
                }
            }
            // The rest of the contract still holds: an unknown token is still refused.
            assert_eq!(
                h.send(None, "GET", "/v1/invitations?userId=me", None)
                    .status,
                401,
                "{name}"
            );
        }
    }
}

// ---- the stub command and the adapters ---------------------------------------------------------

mod stub_command {
    use super::*;
    use std::io::BufRead;
    use std::process::Stdio;

    /// Starts `contractor stub ARGS --port 0`, returns the child and the URL it printed.
    fn start(args: &[&str]) -> (std::process::Child, String, Vec<String>) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_contractor"))
            .arg("stub")
            .args(args)
            .args(["--port", "0"])
            .current_dir(manifest_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = Vec::new();
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.expect("line");
            if let Some(url) = line.strip_prefix("listening on ") {
                let url = url.to_owned();
                lines.push(line);
                return (child, url, lines);
            }
            lines.push(line);
        }
        let status = child.wait().expect("wait");
        panic!("stub exited ({status}) without a URL: {lines:?}");
    }

    /// Sends SIGTERM to the child we started, by its PID, and waits for a clean exit.
    fn stop(mut child: std::process::Child) {
        let pid = child.id().to_string();
        let killed = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(killed.success());
        let status = child.wait().expect("wait");
        assert!(status.success(), "stub exited with {status}");
    }

    #[test]
    fn serves_the_classroom_emulator_on_loopback_and_stops_on_sigterm() {
        contractor::install_crypto_provider();
        let (child, url, banner) = start(&[]);
        let _guard = ChildGuard(child.id());
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        assert!(
            banner.iter().any(|l| l.contains("fixture-token-teacher")),
            "prints tokens: {banner:?}"
        );
        let client = reqwest::blocking::Client::new();
        let r = client
            .get(format!("{url}/v1/invitations?userId=me"))
            .bearer_auth("fixture-token-invitee")
            .send()
            .expect("request");
        assert_eq!(r.status().as_u16(), 200);
        stop(child);
    }

    #[test]
    fn mutants_are_listed_and_selectable() {
        let (code, out, _) = contractor(&["stub", "--list-mutants"]);
        assert_eq!(code, 0);
        for m in contractor::stub::Mutant::ALL {
            assert!(out.contains(m.name()) && out.contains(m.clause()), "{out}");
        }
        let (code, _, err) = contractor(&["stub", "--mutant", "slow_response", "--port", "0"]);
        assert_eq!(code, 2);
        assert!(err.contains("did you mean 'slow_responses'"), "{err}");
        contractor::install_crypto_provider();
        let (child, url, banner) = start(&["--mutant", "server_error_on_list"]);
        let _guard = ChildGuard(child.id());
        assert!(banner
            .iter()
            .any(|l| l.contains("mutants: server_error_on_list")));
        let r = reqwest::blocking::Client::new()
            .get(format!("{url}/v1/invitations?userId=me"))
            .bearer_auth("fixture-token-invitee")
            .send()
            .expect("request");
        assert_eq!(r.status().as_u16(), 500);
        stop(child);
    }

    #[test]
    fn spec_driven_stub_refuses_emulator_only_mutants() {
        let (code, _, err) = contractor(&[
            "stub",
            "--spec",
            "tests/fixtures/split/spec/api.yaml",
            "--mutant",
            "accept_keeps_invitation",
            "--port",
            "0",
        ]);
        assert_eq!(code, 2);
        assert!(err.contains("needs the google-classroom emulator"), "{err}");
    }
}

mod adapters {
    use super::*;
    use contractor::stub::{Emulator, Responder};
    use std::sync::Arc;

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
                .body(
                    json!({"userId": "100005", "courseId": "200001", "role": "STUDENT"})
                        .to_string(),
                )
                .send()
                .await
                .expect("create");
            assert_eq!(created.status().as_u16(), 200);
            let body: Value =
                serde_json::from_str(&created.text().await.expect("body")).expect("json");
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
}

// ---- the spec-driven stub ---------------------------------------------------------------------

mod spec_stub {
    use super::*;
    use contractor::scenario::synth;
    use contractor::stub::{Responder, SpecStub, StubRequest, StubResponse};
    use std::sync::Arc;
    use std::time::Duration;

    fn stub_for(path: &Path) -> (Arc<Api>, SpecStub) {
        let api = Arc::new(load_api(path));
        let stub = SpecStub::new(Arc::clone(&api), &[], Duration::from_millis(10));
        (api, stub)
    }

    fn request(
        method: &str,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> StubRequest {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        StubRequest {
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
                .map(|(k, v)| (k.to_ascii_lowercase(), (*v).to_owned()))
                .chain(
                    body.is_some()
                        .then(|| ("content-type".to_owned(), "application/json".to_owned())),
                )
                .collect(),
            body: body.map(|b| b.to_string().into_bytes()).unwrap_or_default(),
        }
    }

    /// The response is documented for `op` and its JSON body validates.
    fn assert_documented(api: &Api, op: &contractor::spec::Operation, r: &StubResponse) {
        let documented = op.response_for(r.status).unwrap_or_else(|| {
            panic!(
                "{}: undocumented {} {:?}",
                op.id,
                r.status,
                String::from_utf8_lossy(&r.body)
            )
        });
        let Some(media) = documented.content.iter().find(|m| m.name.contains("json")) else {
            return;
        };
        let Some(schema) = &media.schema else { return };
        let body: Value =
            serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{}: not JSON: {e}", op.id));
        let validator = api
            .schemas
            .validator(schema, Direction::Response)
            .expect("compile");
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{} {}: {errors:?}", op.id, r.status);
    }

    /// A valid request for `op`: synthesized path, required query and header parameters,
    /// credentials, and body.
    fn valid_request(api: &Api, op: &contractor::spec::Operation) -> StubRequest {
        let mut path = op.path.clone();
        let mut query = Vec::new();
        let mut headers = vec![
            ("authorization".to_owned(), "Bearer x".to_owned()),
            ("api_key".to_owned(), "k".to_owned()),
        ];
        for p in &op.parameters {
            let value = p
                .schema
                .as_ref()
                .map(|s| {
                    synth::valid_value(&api.schemas, s, Direction::Request, 1).expect("param value")
                })
                .unwrap_or(json!("x"));
            let text = match &value {
                Value::String(s) => s.clone(),
                Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or(i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            match p.location {
                ParamLocation::Path => path = path.replace(&format!("{{{}}}", p.name), &text),
                ParamLocation::Query if p.required => query.push((p.name.clone(), text)),
                ParamLocation::Header if p.required => {
                    headers.push((p.name.to_ascii_lowercase(), text))
                }
                _ => {}
            }
        }
        let mut body = Vec::new();
        if let Some(rb) = &op.request_body {
            if let Some(media) = rb
                .content
                .iter()
                .find(|m| m.name.contains("json"))
                .or(rb.content.first())
            {
                headers.push(("content-type".to_owned(), media.name.clone()));
                if let Some(schema) = &media.schema {
                    let v = synth::valid_value(&api.schemas, schema, Direction::Request, 1)
                        .expect("body");
                    body = v.to_string().into_bytes();
                }
            }
        }
        StubRequest {
            method: op.method.as_str().to_owned(),
            path,
            query,
            headers,
            body,
        }
    }

    #[test]
    fn every_openapi3_corpus_spec_serves_documented_responses() {
        let Some(shared) = shared("every_openapi3_corpus_spec_serves_documented_responses") else {
            return;
        };
        for entry in std::fs::read_dir(shared.join("corpus/openapi3")).expect("dir") {
            let path = entry.expect("entry").path();
            let (api, stub) = stub_for(&path);
            for op in &api.operations {
                let r = stub.respond(&valid_request(&api, op));
                assert!(
                    r.status < 500,
                    "{}: {} {}",
                    op.id,
                    r.status,
                    String::from_utf8_lossy(&r.body)
                );
                assert_documented(&api, op, &r);
            }
        }
    }

    #[test]
    fn petstore_resources_live_in_memory() {
        let Some(shared) = shared("petstore_resources_live_in_memory") else {
            return;
        };
        let (api, stub) = stub_for(&shared.join("corpus/openapi3/swagger-petstore-v3.yaml"));
        let auth = [("authorization", "Bearer x"), ("api_key", "k")];
        let pet = json!({"name": "rex", "photoUrls": ["http://x/rex.png"], "status": "available"});
        let created = stub.respond(&request("POST", "/pet", Some(pet), &auth));
        assert_eq!(
            created.status,
            200,
            "{}",
            String::from_utf8_lossy(&created.body)
        );
        let body = created.json_body().expect("json");
        assert_eq!(body["name"], "rex", "the created item keeps what was sent");
        let id = body["id"].as_i64().expect("integer id");
        let got = stub.respond(&request("GET", &format!("/pet/{id}"), None, &auth));
        assert_eq!(
            (got.status, got.json_body().expect("json")["name"].clone()),
            (200, json!("rex"))
        );
        let deleted = stub.respond(&request("DELETE", &format!("/pet/{id}"), None, &auth));
        assert_eq!(deleted.status, 200);
        let gone = stub.respond(&request("GET", &format!("/pet/{id}"), None, &auth));
        assert_eq!(gone.status, 404, "delete-then-get is 404");
        let never = stub.respond(&request("GET", "/pet/987654", None, &auth));
        assert_eq!(never.status, 404, "an id never created is 404");
        // The server's base path is accepted too.
        let based = stub.respond(&request("GET", &format!("/api/v3/pet/{id}"), None, &auth));
        assert_eq!(based.status, 404);
        let _ = api;
    }

    #[test]
    fn invalid_requests_get_a_documented_client_error() {
        let Some(shared) = shared("invalid_requests_get_a_documented_client_error") else {
            return;
        };
        let (api, stub) = stub_for(&shared.join("corpus/openapi3/swagger-petstore-v3.yaml"));
        let auth = [("authorization", "Bearer x"), ("api_key", "k")];
        let op = api.operation("getPetById").expect("op");
        let r = stub.respond(&request("GET", "/pet/not-a-number", None, &auth));
        assert_eq!(r.status, 400, "{:?}", r.header("x-contractor-problem"));
        assert_documented(&api, op, &r);
        let add = api.operation("addPet").expect("op");
        let r = stub.respond(&request("POST", "/pet", Some(json!({"name": 5})), &auth));
        assert!(r.status == 400 || r.status == 422, "{}", r.status);
        assert_documented(&api, add, &r);
        assert!(r.header("x-contractor-problem").is_some());
        let empty = stub.respond(&request("POST", "/pet", None, &auth));
        assert_eq!(
            empty.status,
            400,
            "the body is required: {:?}",
            empty.header("x-contractor-problem")
        );
        let bad_query = stub.respond(&request(
            "GET",
            "/pet/findByStatus?status=lost",
            None,
            &auth,
        ));
        assert_eq!(
            bad_query.status,
            400,
            "status is an enum: {:?}",
            bad_query.header("x-contractor-problem")
        );
        assert_eq!(
            stub.respond(&request("PATCH", "/pet", None, &auth)).status,
            405
        );
        assert_eq!(
            stub.respond(&request("GET", "/nowhere", None, &auth))
                .status,
            404
        );
    }

    #[test]
    fn prefer_picks_a_documented_response() {
        let Some(shared) = shared("prefer_picks_a_documented_response") else {
            return;
        };
        let (api, stub) = stub_for(&shared.join("corpus/openapi3/swagger-petstore-v3.yaml"));
        let auth = [
            ("authorization", "Bearer x"),
            ("api_key", "k"),
            ("prefer", "code=404"),
        ];
        let r = stub.respond(&request("GET", "/pet/1", None, &auth));
        assert_eq!(r.status, 404);
        assert_documented(&api, api.operation("getPetById").expect("op"), &r);
    }

    #[test]
    fn prefer_example_picks_a_named_example() {
        let (api, stub) = stub_for(&fixture("openapi31.yaml"));
        let _ = api;
        let r = stub.respond(&request(
            "POST",
            "/channels/12/messages",
            Some(json!({"content": "hi"})),
            &[("prefer", "example=none")],
        ));
        assert_eq!(r.status, 200);
        let body = r.json_body().expect("json");
        assert_eq!(body["kind"], "message");
    }

    #[test]
    fn generic_mutants_apply_to_any_spec() {
        let api = Arc::new(load_api(&fixture("split/spec/api.yaml")));
        let mutated = SpecStub::new(
            Arc::clone(&api),
            &[
                contractor::stub::Mutant::WrongContentType,
                contractor::stub::Mutant::ServerErrorOnList,
            ],
            Duration::from_millis(1),
        );
        let r = mutated.respond(&request("GET", "/books", None, &[]));
        assert_eq!(r.status, 500);
        assert_eq!(r.header("content-type"), Some("text/plain"));
    }
}

// ---- the scenario suite: proof that it passes, and that it kills every mutant ------------------

mod suite {
    use super::shared;
    use contractor::check::Verdict;
    use contractor::config::Config;
    use contractor::stub::Mutant;
    use contractor::suite::Suite;
    use std::collections::BTreeSet;
    use std::sync::Arc;
    use std::time::Duration;

    /// Runs every scenario of `config` concurrently; returns (id, verdict) pairs.
    fn run_all(config: &Config) -> Vec<(String, Verdict)> {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let suite = Arc::new(Suite::load(config).expect("suite"));
        rt.block_on(async {
            let mut tasks = tokio::task::JoinSet::new();
            for i in 0..suite.scenarios.len() {
                let suite = Arc::clone(&suite);
                tasks.spawn(async move {
                    let s = &suite.scenarios[i];
                    let verdict = if let Some(why) = &s.ignored {
                        Verdict::Broken(format!("ignored: {why}"))
                    } else {
                        suite.run_scenario(s).await.0
                    };
                    (s.id.clone(), verdict)
                });
            }
            let mut out = Vec::new();
            while let Some(r) = tasks.join_next().await {
                out.push(r.expect("task"));
            }
            out
        })
    }

    #[test]
    fn the_shipped_suite_passes_against_the_emulator_with_nothing_ignored() {
        let results = run_all(&Config::default());
        assert!(results.len() >= 30, "{}", results.len());
        let bad: Vec<String> = results
            .iter()
            .filter(|(_, v)| !matches!(v, Verdict::Passed))
            .map(|(id, v)| format!("{id}: {v:?}"))
            .collect();
        assert!(bad.is_empty(), "{bad:#?}");
        // Every operation x error code x reason of the seed is exercised.
        let ids: Vec<&str> = results.iter().map(|(id, _)| id.as_str()).collect();
        let expected = [
            "classroom.invitations.list::PERMISSION_DENIED",
            "classroom.invitations.create::PERMISSION_DENIED",
            "classroom.invitations.create::NOT_FOUND",
            "classroom.invitations.create::FAILED_PRECONDITION",
            "classroom.invitations.create::ALREADY_EXISTS",
            "classroom.invitations.get::PERMISSION_DENIED",
            "classroom.invitations.get::NOT_FOUND",
            "classroom.invitations.delete::PERMISSION_DENIED",
            "classroom.invitations.delete::NOT_FOUND",
            "classroom.invitations.accept::PERMISSION_DENIED",
            "classroom.invitations.accept::NOT_FOUND",
            "classroom.invitations.accept::FAILED_PRECONDITION.CourseMemberLimitReached",
            "classroom.invitations.accept::FAILED_PRECONDITION.CourseNotModifiable",
            "classroom.invitations.accept::FAILED_PRECONDITION.CourseTeacherLimitReached",
            "classroom.invitations.accept::FAILED_PRECONDITION.UserGroupsMembershipLimitReached",
        ];
        for prefix in expected {
            assert!(
                ids.iter().any(|id| id.starts_with(&format!("{prefix}::"))),
                "no scenario for {prefix}"
            );
        }
    }

    /// The check meant to catch each mutant.
    fn catcher(m: Mutant) -> &'static [&'static str] {
        match m {
            Mutant::WrongSuccessStatus | Mutant::UndocumentedStatus => &["status_code_conformance"],
            Mutant::MissingRequiredField | Mutant::WrongFieldType | Mutant::EnumOutOfRange => {
                &["response_schema_conformance"]
            }
            Mutant::WrongContentType => &["content_type_conformance"],
            Mutant::WrongErrorStatus | Mutant::MissingReasonPrefix => &["error_code_conformance"],
            Mutant::DuplicateCreateAccepted | Mutant::PermissionsNotEnforced => {
                &["status_code_conformance"]
            }
            Mutant::AcceptKeepsInvitation | Mutant::DeleteKeepsInvitation => &["use_after_free"],
            Mutant::ServerErrorOnList => &["not_a_server_error"],
            Mutant::SlowResponses => &["max_response_time"],
        }
    }

    #[test]
    fn the_suite_kills_every_mutant_with_the_check_meant_for_it() {
        let mut survivors = Vec::new();
        for mutant in Mutant::ALL {
            let config = Config {
                mutants: vec![mutant.name().to_owned()],
                // Only the slow mutant is judged on time, with a delay far past the budget.
                max_response_time: (mutant == Mutant::SlowResponses)
                    .then_some(Duration::from_millis(300)),
                slow: Some(Duration::from_millis(1200)),
                ..Config::default()
            };
            let results = run_all(&config);
            let mut checks = BTreeSet::new();
            for (_, verdict) in &results {
                if let Verdict::Failed(failures) = verdict {
                    checks.extend(failures.iter().map(|(f, _)| f.check));
                }
            }
            if !catcher(mutant).iter().any(|c| checks.contains(c)) {
                survivors.push(format!("{} (failed checks: {checks:?})", mutant.name()));
            }
        }
        assert!(survivors.is_empty(), "mutants that survive: {survivors:#?}");
    }

    #[test]
    fn generation_alone_covers_petstore_and_passes_against_the_spec_driven_stub() {
        let Some(shared) =
            shared("generation_alone_covers_petstore_and_passes_against_the_spec_driven_stub")
        else {
            return;
        };
        let config = Config {
            spec: Some(shared.join("corpus/openapi3/swagger-petstore-v3.yaml")),
            ..Config::default()
        };
        let results = run_all(&config);
        let mut kinds = BTreeSet::new();
        for (id, verdict) in &results {
            match verdict {
                Verdict::Passed => {
                    let outcome = id.split("::").nth(1).unwrap_or("");
                    kinds.insert(match outcome {
                        "lifecycle" => "lifecycle",
                        o if o.starts_with('2') => "success",
                        _ => "error",
                    });
                }
                Verdict::Broken(why) if why.starts_with("ignored: no recipe") => {}
                other => panic!("{id}: {other:?}"),
            }
        }
        assert_eq!(
            kinds.len(),
            3,
            "success, error and lifecycle scenarios all ran: {kinds:?}"
        );
    }
}

// ---- scenario generation and scenario files ---------------------------------------------------

mod scenarios {
    use super::*;
    use contractor::scenario::{self, GenerateOptions};

    fn golden(name: &str, actual: &str) {
        let path = Path::new("tests/golden/generation").join(name);
        if std::env::var_os("UPDATE_GOLDENS").is_some() {
            std::fs::write(&path, actual).expect("write golden");
            return;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("missing golden {}", path.display()));
        assert_eq!(actual, expected, "golden {} differs", path.display());
    }

    /// One line per scenario and one per step: stable text to compare.
    fn describe(scenarios: &[contractor::scenario::Scenario]) -> String {
        let mut out = String::new();
        for s in scenarios {
            out.push_str(&format!("{}\n", s.id));
            if let Some(why) = &s.ignored {
                out.push_str(&format!("  ignored: {why}\n"));
            }
            for (i, step) in s.steps.iter().enumerate() {
                let body = step
                    .body
                    .as_ref()
                    .map(|b| format!(" body={b}"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  {}. {} as {:?} params={:?}{body} expect={:?}/{:?}\n",
                    i + 1,
                    step.operation,
                    step.identity,
                    step.params,
                    step.expect.status,
                    step.expect.error_code
                ));
            }
            for step in &s.cleanup {
                out.push_str(&format!(
                    "  cleanup: {} params={:?}\n",
                    step.operation, step.params
                ));
            }
        }
        out
    }

    #[test]
    fn generation_for_the_classroom_spec_matches_its_golden() {
        let api = load_api(Path::new("specs/google-classroom/invitations.yaml"));
        let generated = scenario::generate(&api, &GenerateOptions::default());
        golden("classroom.txt", &describe(&generated));
        // Deterministic: the same seed gives the same scenarios.
        assert_eq!(
            generated,
            scenario::generate(&api, &GenerateOptions::default())
        );
    }

    #[test]
    fn generation_for_petstore_matches_its_golden() {
        let Some(shared) = shared("generation_for_petstore_matches_its_golden") else {
            return;
        };
        let api = load_api(&shared.join("corpus/openapi3/swagger-petstore-v3.yaml"));
        golden(
            "swagger-petstore-v3.txt",
            &describe(&scenario::generate(&api, &GenerateOptions::default())),
        );
    }

    fn write(name: &str, text: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("contractor-scen-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let path = dir.join("s.yaml");
        std::fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn an_unknown_operation_in_a_scenario_file_suggests_the_near_one() {
        let api = load_api(Path::new("specs/google-classroom/invitations.yaml"));
        let path = write(
            "unknown-op",
            "scenarios:\n  - operation: classroom.invitations.acept\n    outcome: 200\n    steps:\n      - as: teacher\n",
        );
        let err = scenario::load_file(&path, &api).unwrap_err().to_string();
        assert!(
            err.contains("did you mean 'classroom.invitations.accept'"),
            "{err}"
        );
        assert!(
            err.contains(&format!("{}:2:", path.display())),
            "names file and line: {err}"
        );
    }

    #[test]
    fn an_unknown_field_in_a_scenario_file_is_located() {
        let api = load_api(Path::new("specs/google-classroom/invitations.yaml"));
        let path = write(
            "unknown-field",
            "scenarios:\n  - operation: classroom.invitations.get\n    outcome: 200\n    steps:\n      - as: teacher\n        parms: {id: x}\n",
        );
        let err = scenario::load_file(&path, &api).unwrap_err().to_string();
        assert!(err.contains("parms") && err.contains(":6:"), "{err}");
    }

    #[test]
    fn the_shipped_scenario_files_load_and_replace_generated_placeholders() {
        let api = load_api(Path::new("specs/google-classroom/invitations.yaml"));
        let files =
            scenario::load_dir(Path::new("scenarios/google-classroom"), &api).expect("load");
        assert_eq!(files.len(), 1, "the fixture is not a scenario file");
        let merged = scenario::merge(
            scenario::generate(&api, &GenerateOptions::default()),
            &files,
        );
        assert!(
            merged.iter().all(|s| s.ignored.is_none()),
            "no placeholder left"
        );
        let ids: std::collections::HashSet<&str> = merged.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), merged.len(), "ids are unique");
    }
}

// ---- running against a target over the network -------------------------------------------------

mod remote {
    use super::*;
    use std::io::BufRead;
    use std::process::Stdio;

    /// `contractor run --target URL` against a `contractor stub` process: identities come from
    /// CONTRACTOR_IDENTITY_<NAME>, fixture values from the fixture file, as for a real domain.
    #[test]
    fn runs_the_shipped_suite_against_a_target_url_with_identities_from_the_environment() {
        let mut stub = Command::new(env!("CARGO_BIN_EXE_contractor"))
            .args(["stub", "--port", "0"])
            .current_dir(manifest_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn stub");
        let _guard = ChildGuard(stub.id());
        let out = stub.stdout.take().expect("stdout");
        let url = std::io::BufReader::new(out)
            .lines()
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix("listening on ").map(str::to_owned))
            .expect("url");
        let fixture = contractor::stub::classroom::Fixture::shipped();
        let mut run = Command::new(env!("CARGO_BIN_EXE_contractor"));
        run.args([
            "run",
            "--target",
            &url,
            "--fixture",
            "scenarios/google-classroom/fixture.yaml",
            "--test-threads",
            "1",
        ])
        .current_dir(manifest_dir());
        with_identities(&mut run, &fixture, "CONTRACTOR_IDENTITY_");
        let result = run.output().expect("run");
        let text = String::from_utf8_lossy(&result.stdout);
        let pid = stub.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let _ = stub.wait();
        assert_eq!(result.status.code(), Some(0), "{text}");
        assert!(text.contains("30 passed; 0 failed; 0 ignored"), "{text}");
    }

    #[test]
    fn a_missing_identity_makes_scenarios_ignored_with_the_variable_to_set() {
        let (code, out, err) = contractor(&[
            "list",
            "--target",
            "http://127.0.0.1:9",
            "--fixture",
            "scenarios/google-classroom/fixture.yaml",
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains("needs identity 'teacher': set CONTRACTOR_IDENTITY_TEACHER"),
            "{out}"
        );
    }

    #[test]
    fn a_setup_error_exits_2_and_a_failed_check_exits_1() {
        let (code, _, err) = contractor(&["run", "--spec", "tests/fixtures/broken/swagger-3.yaml"]);
        assert_eq!(code, 2, "{err}");
        let (code, out, _) = contractor(&[
            "run",
            "--mutant",
            "wrong_content_type",
            "--filter",
            "get::200",
        ]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("content_type_conformance"), "{out}");
        assert!(
            out.contains("curl -X GET") && out.contains("Bearer ***"),
            "{out}"
        );
    }

    /// Answers 503 with `Retry-After: 0` `failures` times, then 200, counting requests.
    fn flaky(failures: usize) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = std::sync::Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().take(failures + 1) {
                let Ok(mut stream) = stream else { continue };
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let reply = if n < failures {
                    "HTTP/1.1 503 Service Unavailable\r\nretry-after: 0\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned()
                } else {
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}".to_owned()
                };
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        (format!("http://{addr}"), seen)
    }

    #[test]
    fn retries_503_honouring_retry_after() {
        let api = load_api(Path::new("specs/google-classroom/invitations.yaml"));
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let (url, seen) = flaky(2);
        let target = contractor::run::Target::new(
            &url,
            contractor::run::Identities::default(),
            std::time::Duration::from_secs(5),
        )
        .expect("target");
        let step = contractor::scenario::Step {
            operation: "classroom.invitations.get".to_owned(),
            identity: None,
            params: [("id".to_owned(), "1".to_owned())].into_iter().collect(),
            headers: Default::default(),
            body: None,
            raw_body: None,
            expect: Default::default(),
            captures: Vec::new(),
        };
        let exchange = rt
            .block_on(contractor::run::send(
                &target,
                &api,
                &step,
                &Default::default(),
            ))
            .expect("send");
        assert_eq!(exchange.response.status, 200);
        assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 3);
    }
}

// ---- reports, gates and safety (issue 5) ------------------------------------------------------

mod gates {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("contractor-gates-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        dir
    }

    #[test]
    fn junit_report_is_valid_xml_with_a_case_per_scenario_and_the_failure_text() {
        let dir = tmp("junit");
        let junit = dir.join("report.xml");
        let (code, out, _) = contractor(&[
            "run",
            "--mutant",
            "enum_out_of_range",
            "--junit",
            &junit.to_string_lossy(),
        ]);
        assert_eq!(code, 1, "{out}");
        let text = std::fs::read_to_string(&junit).expect("junit written");
        let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
        let suites: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testsuite"))
            .collect();
        assert_eq!(suites.len(), 1);
        let cases: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(cases.len(), 30);
        let failures: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .collect();
        assert!(!failures.is_empty());
        let body = failures[0].text().unwrap_or("");
        assert!(
            body.contains("response_schema_conformance") && body.contains("-->"),
            "{body}"
        );
        assert!(!text.contains("fixture-token-"), "credentials are masked");
        assert_eq!(
            suites[0].attribute("failures"),
            Some(failures.len().to_string().as_str())
        );
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn json_report_has_every_scenario_and_step() {
        let dir = tmp("json");
        let path = dir.join("report.json");
        let (code, out, _) = contractor(&["run", "--json", &path.to_string_lossy()]);
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains("30 scenarios: 30 passed, 0 failed, 0 ignored"),
            "{out}"
        );
        assert!(out.contains("coverage:"), "{out}");
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("json")).expect("parse");
        let scenarios = doc["scenarios"].as_array().expect("scenarios");
        assert_eq!(scenarios.len(), 30);
        let step = &scenarios[0]["steps"][0];
        assert!(
            step["status"].is_u64() && step["elapsed_ms"].is_f64() && step["url"].is_string(),
            "{step}"
        );
        assert!(
            !doc.to_string().contains("fixture-token-"),
            "credentials are masked"
        );
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn a_target_outside_loopback_gets_only_read_only_scenarios_unless_allowed() {
        // `list` sends nothing: no traffic leaves this machine.
        let (code, out, _) = contractor(&[
            "list",
            "--target",
            "https://staging.example.com",
            "--fixture",
            "scenarios/google-classroom/fixture.yaml",
        ]);
        assert_eq!(code, 0);
        assert!(
            out.contains("mutates state on a target outside loopback: pass --allow-mutations"),
            "{out}"
        );
        let (_, allowed, _) = contractor(&[
            "list",
            "--target",
            "https://staging.example.com",
            "--fixture",
            "scenarios/google-classroom/fixture.yaml",
            "--allow-mutations",
        ]);
        assert!(!allowed.contains("pass --allow-mutations"), "{allowed}");
    }

    #[test]
    fn an_unreachable_target_is_a_setup_error() {
        let port = {
            let l = TcpListener::bind("127.0.0.1:0").expect("bind");
            l.local_addr().expect("addr").port()
        };
        let (code, _, err) = contractor(&["run", "--target", &format!("http://127.0.0.1:{port}")]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("cannot be reached"), "{err}");
    }

    #[test]
    fn token_like_query_parameters_are_masked() {
        assert_eq!(
            contractor::report::mask_url("http://h/x?api_key=s3cret&page=2&access_token=t"),
            "http://h/x?api_key=***&page=2&access_token=***"
        );
    }

    #[test]
    fn bad_rate_is_a_usage_error() {
        let (code, _, err) = contractor(&["run", "--rate", "fast"]);
        assert_eq!(code, 2);
        assert!(err.contains("--rate"), "{err}");
    }
}

mod faults {
    use super::*;
    use contractor::run::{Identities, Target};
    use std::time::{Duration, Instant};

    /// A loopback server that misbehaves as `mode` says, once per connection, `n` times.
    fn faulty(mode: &'static str, n: usize) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        std::thread::spawn(move || {
            for stream in listener.incoming().take(n) {
                let Ok(mut s) = stream else { continue };
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                match mode {
                    "reset" => {
                        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"partial\":");
                        let _ = s.shutdown(std::net::Shutdown::Both);
                    }
                    "endless" => {
                        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
                        // A chunk every 50 ms, until the client gives up (bounded: 20 s at most).
                        for _ in 0..400 {
                            if s.write_all(b"1\r\n \r\n").is_err() {
                                break;
                            }
                            std::thread::sleep(Duration::from_millis(50));
                        }
                    }
                    "huge" => {
                        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 52428800\r\n\r\n");
                        let chunk = vec![b' '; 64 * 1024];
                        for _ in 0..800 {
                            if s.write_all(&chunk).is_err() {
                                break;
                            }
                        }
                    }
                    "bad-json" => {
                        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 9\r\nconnection: close\r\n\r\n{\"id\": 1,");
                    }
                    "short" => {
                        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{}");
                    }
                    _ => {}
                }
            }
        });
        format!("http://{addr}")
    }

    fn get(url: &str) -> (Result<contractor::run::Exchange, String>, Duration) {
        let api = load_api(Path::new("specs/google-classroom/invitations.yaml"));
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let target =
            Target::new(url, Identities::default(), Duration::from_secs(2)).expect("target");
        let step = contractor::scenario::Step {
            operation: "classroom.invitations.get".to_owned(),
            identity: None,
            params: [("id".to_owned(), "1".to_owned())].into_iter().collect(),
            headers: Default::default(),
            body: None,
            raw_body: None,
            expect: Default::default(),
            captures: Vec::new(),
        };
        let start = Instant::now();
        let r = rt.block_on(contractor::run::send(
            &target,
            &api,
            &step,
            &Default::default(),
        ));
        (r, start.elapsed())
    }

    #[test]
    fn connection_refused_is_a_clear_error() {
        let port = TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let (r, _) = get(&format!("http://127.0.0.1:{port}"));
        let e = r.expect_err("refused");
        assert!(
            e.contains("request failed") && e.to_lowercase().contains("refused"),
            "{e}"
        );
    }

    #[test]
    fn a_reset_mid_body_and_a_short_body_are_clear_errors() {
        for mode in ["reset", "short"] {
            let (r, _) = get(&faulty(mode, 1));
            let e = r.expect_err(mode);
            assert!(
                e.contains("failed to read the response body"),
                "{mode}: {e}"
            );
        }
    }

    #[test]
    fn a_response_that_never_ends_times_out() {
        let (r, elapsed) = get(&faulty("endless", 1));
        let e = r.expect_err("timeout");
        assert!(
            e.to_lowercase().contains("timed out") || e.contains("failed to read"),
            "{e}"
        );
        // Bounded by the 2 s timeout, not by the server (a hang guard, not a speed goal).
        assert!(elapsed < Duration::from_secs(15), "{elapsed:?}");
    }

    #[test]
    fn a_50_mb_body_is_capped() {
        let (r, _) = get(&faulty("huge", 1));
        let e = r.expect_err("cap");
        assert!(e.contains("larger than"), "{e}");
    }

    #[test]
    fn invalid_json_with_a_json_content_type_fails_the_schema_check() {
        let (r, _) = get(&faulty("bad-json", 1));
        let exchange = r.expect("a response");
        let api = load_api(Path::new("specs/google-classroom/invitations.yaml"));
        let op = api.operation("classroom.invitations.get").expect("op");
        let expect = contractor::check::Expectation::default();
        let ctx = contractor::check::CheckCtx {
            api: &api,
            operation: op,
            expect: &expect,
            max_response_time: None,
            after_delete: false,
            after_create: false,
        };
        let enabled: Vec<_> = contractor::check::CHECKS.iter().collect();
        let failures = contractor::check::evaluate(&ctx, &exchange, &enabled);
        assert!(
            failures
                .iter()
                .any(|f| f.check == "response_schema_conformance"),
            "{failures:?}"
        );
    }
}

mod interrupts {
    use super::*;
    use std::io::BufRead;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    /// Starts `contractor stub` and returns it with its URL.
    fn stub() -> (std::process::Child, String) {
        let mut stub = Command::new(env!("CARGO_BIN_EXE_contractor"))
            .args(["stub", "--port", "0"])
            .current_dir(manifest_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn stub");
        let out = stub.stdout.take().expect("stdout");
        let url = std::io::BufReader::new(out)
            .lines()
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix("listening on ").map(str::to_owned))
            .expect("url");
        (stub, url)
    }

    fn signal(child: &std::process::Child, sig: &str) {
        let status = Command::new("kill")
            .args([sig, &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Waits for `child` to exit, at most `limit`; kills it (by its PID) if it does not.
    fn wait(child: &mut std::process::Child, limit: Duration) -> Option<i32> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = child.try_wait().expect("try_wait") {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    #[test]
    fn sigint_mid_run_finishes_cleanup_and_leaves_no_invitation_behind() {
        contractor::install_crypto_provider();
        let (mut stub, url) = stub();
        let _guard = ChildGuard(stub.id());
        let fixture = contractor::stub::classroom::Fixture::shipped();
        let mut run = Command::new(env!("CARGO_BIN_EXE_contractor"));
        run.args([
            "run",
            "--target",
            &url,
            "--fixture",
            "scenarios/google-classroom/fixture.yaml",
            "--rate",
            "5/s",
            "--test-threads",
            "2",
        ])
        .current_dir(manifest_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
        with_identities(&mut run, &fixture, "CONTRACTOR_IDENTITY_");
        let mut child = run.spawn().expect("run");
        // Mid-run: at 5 requests a second the suite takes about 10 s.
        std::thread::sleep(Duration::from_millis(2500));
        signal(&child, "-INT");
        let code = wait(&mut child, Duration::from_secs(60));
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        assert_eq!(code, Some(130), "{err}");
        assert!(
            err.contains("interrupted: finishing cleanup") && err.contains("cleanup finished"),
            "{err}"
        );
        // No invitation is left in any fixture course.
        let client = reqwest::blocking::Client::new();
        for course in fixture.courses.values() {
            let text = client
                .get(format!("{url}/v1/invitations?courseId={}", course.id))
                .bearer_auth(&fixture.users["admin"].token)
                .send()
                .expect("list")
                .text()
                .expect("body");
            let body: Value = serde_json::from_str(&text).expect("json");
            assert!(
                body.get("invitations").is_none(),
                "left behind in {}: {body}",
                course.id
            );
        }
        signal(&stub, "-TERM");
        let _ = wait(&mut stub, Duration::from_secs(10));
    }

    /// Stops the child we started, by its PID, even when the test fails.
    struct Stopper(std::process::Child);

    impl Drop for Stopper {
        fn drop(&mut self) {
            let _ = Command::new("kill")
                .args(["-TERM", &self.0.id().to_string()])
                .status();
            let _ = wait(&mut self.0, Duration::from_secs(10));
        }
    }

    #[test]
    fn a_second_sigint_stops_at_once_and_names_what_may_be_left_behind() {
        // A stub that answers every request 3 s late, so the run is always mid-request.
        let mut child = Command::new(env!("CARGO_BIN_EXE_contractor"))
            .args([
                "stub",
                "--port",
                "0",
                "--mutant",
                "slow_responses",
                "--slow-ms",
                "3000",
            ])
            .current_dir(manifest_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn stub");
        let out = child.stdout.take().expect("stdout");
        let url = std::io::BufReader::new(out)
            .lines()
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix("listening on ").map(str::to_owned))
            .expect("url");
        let _stub = Stopper(child);
        let fixture = contractor::stub::classroom::Fixture::shipped();
        let mut run = Command::new(env!("CARGO_BIN_EXE_contractor"));
        run.args([
            "run",
            "--target",
            &url,
            "--fixture",
            "scenarios/google-classroom/fixture.yaml",
            "--filter",
            "create::200::valid",
        ])
        .current_dir(manifest_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
        with_identities(&mut run, &fixture, "CONTRACTOR_IDENTITY_");
        let mut child = run.spawn().expect("run");
        std::thread::sleep(Duration::from_millis(1000));
        signal(&child, "-INT");
        std::thread::sleep(Duration::from_millis(300));
        signal(&child, "-INT");
        let code = wait(&mut child, Duration::from_secs(30));
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        assert_eq!(code, Some(130), "{err}");
        assert!(
            err.contains("stopped at once")
                && err.contains("classroom.invitations.create::200::valid"),
            "{err}"
        );
    }

    #[test]
    fn replay_reruns_with_the_recorded_spec() {
        let dir =
            std::env::temp_dir().join(format!("contractor-replay-spec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let report = dir.join("run.json");
        let spec = "tests/fixtures/split/spec/api.yaml";
        let (code, out, _) = contractor(&[
            "run",
            "--spec",
            spec,
            "--mutant",
            "wrong_content_type",
            "--json",
            &report.to_string_lossy(),
        ]);
        assert_eq!(code, 1, "{out}");
        // Without --spec, replay uses the recorded one: the scenarios are found and the
        // content-type failures are fixed.
        let (_, out, _) = contractor(&["replay", &report.to_string_lossy()]);
        assert!(
            !out.contains("unknown in this suite") && out.contains("listBooks::200::valid: fixed"),
            "{out}"
        );
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn replay_says_which_recorded_failures_are_fixed() {
        let dir = std::env::temp_dir().join(format!("contractor-replay-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let report = dir.join("run.json");
        let (code, _, _) = contractor(&[
            "run",
            "--mutant",
            "missing_reason_prefix",
            "--json",
            &report.to_string_lossy(),
        ]);
        assert_eq!(code, 1);
        let (code, out, _) = contractor(&[
            "replay",
            &report.to_string_lossy(),
            "--mutant",
            "missing_reason_prefix",
        ]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("still failing"), "{out}");
        let (code, out, _) = contractor(&["replay", &report.to_string_lossy()]);
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains(": fixed") && out.contains("0 still failing"),
            "{out}"
        );
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}

mod report_text {
    use super::*;
    use contractor::check::Failure;
    use contractor::run::{Exchange, ReceivedResponse, SentRequest};

    /// A snapshot of the plain failure block: title, location, request line, expected and
    /// actual aligned, schema and instance paths, body, curl with the credential masked.
    #[test]
    fn a_failure_renders_as_its_plain_snapshot() {
        let mut failure = Failure::new(
            "response_schema_conformance",
            "response body does not match the schema",
            contractor::Location::new(
                "specs/google-classroom/invitations.yaml",
                "/paths/~1v1~1invitations/post/responses/200/content/application~1json/schema",
            ),
            "a body valid against the schema for application/json",
            "/role: \"GUEST\" is not one of the enum values",
        );
        failure.schema_path =
            Some("/components/schemas/Invitation/properties/role/enum".to_owned());
        failure.instance_path = Some("/role".to_owned());
        let exchange = Exchange {
            request: SentRequest {
                method: "POST".to_owned(),
                url: "http://127.0.0.1:4010/v1/invitations?access_token=s3cret".to_owned(),
                headers: vec![
                    (
                        "authorization".to_owned(),
                        "Bearer fixture-token-teacher".to_owned(),
                    ),
                    ("content-type".to_owned(), "application/json".to_owned()),
                ],
                body: Some(br#"{"userId":"100005","courseId":"200001","role":"STUDENT"}"#.to_vec()),
            },
            response: ReceivedResponse {
                status: 200,
                headers: vec![("content-type".to_owned(), "application/json".to_owned())],
                body: br#"{"id":"1","userId":"100005","courseId":"200001","role":"GUEST"}"#
                    .to_vec(),
            },
            elapsed: std::time::Duration::from_millis(3),
        };
        let text = contractor::report::render_failure(&failure, Some(&exchange));
        let golden = Path::new("tests/golden/report/failure.txt");
        if std::env::var_os("UPDATE_GOLDENS").is_some() {
            std::fs::write(golden, &text).expect("write golden");
        }
        assert_eq!(text, std::fs::read_to_string(golden).expect("golden"));
        assert!(!text.contains("fixture-token-teacher") && !text.contains("s3cret"));
    }

    #[test]
    fn github_actions_annotations_point_at_the_spec_line() {
        let out = Command::new(env!("CARGO_BIN_EXE_contractor"))
            .args([
                "run",
                "--mutant",
                "enum_out_of_range",
                "--filter",
                "create::200",
            ])
            .env("GITHUB_ACTIONS", "true")
            .current_dir(manifest_dir())
            .output()
            .expect("run");
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find(|l| l.starts_with("::error "))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(
            line.starts_with("::error file=specs/google-classroom/invitations.yaml,line="),
            "{line}"
        );
        let n: u64 = line["::error file=specs/google-classroom/invitations.yaml,line=".len()..]
            .split(',')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("line number");
        let spec =
            std::fs::read_to_string("specs/google-classroom/invitations.yaml").expect("spec");
        let at = spec.lines().nth(n as usize - 1).expect("line exists");
        assert!(at.trim_start().starts_with("schema:"), "line {n} is `{at}`");
    }
}

mod settings_file {
    use super::*;
    use std::io::BufRead;
    use std::process::Stdio;

    #[test]
    fn contractor_toml_names_target_fixture_and_identity_variables() {
        let mut stub = Command::new(env!("CARGO_BIN_EXE_contractor"))
            .args(["stub", "--port", "0"])
            .current_dir(manifest_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn stub");
        let _guard = ChildGuard(stub.id());
        let out = stub.stdout.take().expect("stdout");
        let url = std::io::BufReader::new(out)
            .lines()
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix("listening on ").map(str::to_owned))
            .expect("url");
        let fixture = contractor::stub::classroom::Fixture::shipped();
        let dir = std::env::temp_dir().join(format!("contractor-toml-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let mut toml = format!(
            "target = \"{url}\"\nspec = \"{}\"\nfixture = \"{}\"\nconcurrency = 1\ntimeout = 10\n[identities]\n",
            manifest_dir().join("specs/google-classroom/invitations.yaml").display(),
            manifest_dir().join("scenarios/google-classroom/fixture.yaml").display(),
        );
        for name in fixture.users.keys().map(String::as_str).chain(["default"]) {
            toml.push_str(&format!(
                "{name} = \"STAGING_{}\"\n",
                name.to_ascii_uppercase()
            ));
        }
        std::fs::write(dir.join("contractor.toml"), toml).expect("write");
        // Without the variables, `list` says which to set.
        let listed = Command::new(env!("CARGO_BIN_EXE_contractor"))
            .args(["list"])
            .current_dir(&dir)
            .output()
            .expect("list");
        let text = String::from_utf8_lossy(&listed.stdout);
        assert!(text.contains("set STAGING_TEACHER"), "{text}");
        // With them, the whole suite runs from the settings file alone.
        let mut run = Command::new(env!("CARGO_BIN_EXE_contractor"));
        run.arg("run").current_dir(&dir);
        with_identities(&mut run, &fixture, "STAGING_");
        let result = run.output().expect("run");
        let text = String::from_utf8_lossy(&result.stdout);
        let _ = Command::new("kill")
            .args(["-TERM", &stub.id().to_string()])
            .status();
        let _ = stub.wait();
        std::fs::remove_dir_all(&dir).expect("cleanup");
        assert_eq!(result.status.code(), Some(0), "{text}");
        assert!(text.contains("30 passed; 0 failed; 0 ignored"), "{text}");
    }
}

mod terminal {
    use super::*;

    /// Runs `contractor ARGS` under a pseudo-terminal (`script`), with extra environment.
    fn on_a_terminal(args: &str, env: &[(&str, &str)]) -> Option<String> {
        if Command::new("script").arg("--version").output().is_err() {
            println!("skipped: `script` (util-linux) is not installed, so no pseudo-terminal");
            return None;
        }
        let command = format!("{} {args}", env!("CARGO_BIN_EXE_contractor"));
        let mut cmd = Command::new("script");
        cmd.args(["-qec", &command, "/dev/null"])
            .current_dir(manifest_dir());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("script");
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    #[test]
    fn a_terminal_gets_a_progress_bar_and_colour_and_no_color_turns_colour_off() {
        let Some(text) = on_a_terminal("run --filter get::", &[]) else {
            return;
        };
        assert!(text.contains("scenarios"), "{text}");
        assert!(
            !text.contains("test [read-only]"),
            "no line per trial on a terminal: {text}"
        );
        assert!(text.contains("\u{1b}[32m"), "green summary: {text:?}");
        let plain = on_a_terminal("run --filter get::", &[("NO_COLOR", "1")]).expect("script");
        assert!(
            !plain.contains("\u{1b}[32m") && plain.contains("passed, 0 failed"),
            "{plain:?}"
        );
    }

    #[test]
    fn a_pipe_gets_plain_libtest_lines_and_no_colour() {
        let (code, out, _) = contractor(&["run", "--filter", "get::"]);
        assert_eq!(code, 0);
        assert!(
            out.contains("test [read-only]") && !out.contains('\u{1b}'),
            "{out}"
        );
    }
}

mod redirects {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// A redirect is not followed, so credentials never travel to the host it names.
    #[test]
    fn a_redirect_elsewhere_is_not_followed_with_credentials() {
        let elsewhere = TcpListener::bind("127.0.0.1:0").expect("bind");
        let elsewhere_addr = elsewhere.local_addr().expect("addr");
        elsewhere.set_nonblocking(true).expect("nonblocking");
        let hits = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&hits);
        let watcher = std::thread::spawn(move || {
            for _ in 0..40 {
                if elsewhere.accept().is_ok() {
                    counted.fetch_add(1, Ordering::SeqCst);
                }
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
        });
        let first = TcpListener::bind("127.0.0.1:0").expect("bind");
        let first_addr = first.local_addr().expect("addr");
        std::thread::spawn(move || {
            if let Some(Ok(mut s)) = first.incoming().next() {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let reply = format!(
                    "HTTP/1.1 302 Found\r\nlocation: http://{elsewhere_addr}/steal\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
                let _ = s.write_all(reply.as_bytes());
            }
        });
        let api = load_api(Path::new("specs/google-classroom/invitations.yaml"));
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let identities =
            contractor::run::Identities::new([("teacher".to_owned(), "Bearer secret".to_owned())]);
        let target = contractor::run::Target::new(
            &format!("http://{first_addr}"),
            identities,
            std::time::Duration::from_secs(5),
        )
        .expect("target");
        let step = contractor::scenario::Step {
            operation: "classroom.invitations.get".to_owned(),
            identity: Some("teacher".to_owned()),
            params: [("id".to_owned(), "1".to_owned())].into_iter().collect(),
            headers: Default::default(),
            body: None,
            raw_body: None,
            expect: Default::default(),
            captures: Vec::new(),
        };
        let exchange = rt
            .block_on(contractor::run::send(
                &target,
                &api,
                &step,
                &Default::default(),
            ))
            .expect("send");
        assert_eq!(exchange.response.status, 302);
        watcher.join().expect("watcher");
        assert_eq!(
            hits.load(Ordering::SeqCst),
            0,
            "the redirect target was contacted"
        );
    }
}

mod coverage_and_rate {
    use super::*;

    #[test]
    fn the_coverage_table_lists_statuses_the_spec_does_not_document() {
        let (code, out, _) = contractor(&[
            "run",
            "--mutant",
            "undocumented_status",
            "--filter",
            "NOT_FOUND",
        ]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("statuses seen that the spec does not document:"),
            "{out}"
        );
        assert!(out.contains("classroom.invitations.get  410"), "{out}");
    }

    #[test]
    fn the_rate_limiter_spaces_requests_out() {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let limiter = contractor::run::Limiter::new(50.0);
        let start = std::time::Instant::now();
        rt.block_on(async {
            for _ in 0..6 {
                limiter.wait().await;
            }
        });
        // Six slots at 50 a second: the last starts 100 ms after the first, at least.
        assert!(
            start.elapsed() >= std::time::Duration::from_millis(100),
            "{:?}",
            start.elapsed()
        );
    }
}

// ---- regressions from the review of issues 3 to 5 ----------------------------------------------

mod review_regressions {
    use super::*;

    #[test]
    fn a_password_in_the_target_url_is_masked() {
        assert_eq!(
            contractor::report::mask_url("http://user:s3cr3t@127.0.0.1:9/v1/x?token=t"),
            "http://user:***@127.0.0.1:9/v1/x?token=***"
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let (code, out, err) = contractor(&[
            "run",
            "--target",
            &format!("http://u:s3cr3t@127.0.0.1:{port}"),
        ]);
        assert_eq!(code, 2);
        assert!(!out.contains("s3cr3t") && !err.contains("s3cr3t"), "{err}");
    }

    #[test]
    fn a_huge_time_budget_means_no_deadline_not_a_crash() {
        let (code, out, _) = contractor(&[
            "run",
            "--time-budget",
            "18446744073709551615",
            "--filter",
            "get::200",
        ]);
        assert_eq!(code, 0, "{out}");
    }

    #[test]
    fn zero_concurrency_is_a_usage_error_not_a_hang() {
        let (code, _, err) = contractor(&["run", "--concurrency", "0"]);
        assert_eq!(code, 2);
        assert!(err.contains("at least 1"), "{err}");
    }

    #[test]
    fn check_names_with_hyphens_switch_checks_off() {
        let (_, with, _) = contractor(&["run", "--mutant", "delete_keeps_invitation"]);
        assert!(with.contains("use_after_free:"), "{with}");
        let (_, without, _) = contractor(&[
            "run",
            "--mutant",
            "delete_keeps_invitation",
            "--check-off",
            "use-after-free",
        ]);
        assert!(!without.contains("use_after_free:"), "{without}");
    }

    #[test]
    fn mutants_cannot_apply_to_a_real_target() {
        let (code, _, err) = contractor(&[
            "run",
            "--target",
            "http://127.0.0.1:9",
            "--mutant",
            "slow_responses",
        ]);
        assert_eq!(code, 2);
        assert!(err.contains("cannot apply to --target"), "{err}");
    }
}
