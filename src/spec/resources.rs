//! The resource graph: which operation produces the value of each path parameter, so that
//! generated scenarios create what an operation needs (parents before children) and the
//! spec-driven stub knows what it stores.
//!
//! A resource is a collection with a create (a `POST` on the collection, or a `PUT` on the
//! item when the client chooses the id) and an item path below it. A path parameter's producer
//! comes from an OpenAPI `link` when the spec gives one, else from the path: the resource whose
//! item path is the operation's path up to that parameter, parameter names, a `:verb` suffix
//! and a `.json`-style extension aside (`/courses/{id}` produces the `{courseId}` of
//! `/courses/{courseId}/aliases`). Where the created item's id is in the create response is
//! what a link from the create to an operation on the item says, else inferred RESTler-style
//! from the field names (`id`, the parameter's own name, `{resource}Id`, `{resource}_id`,
//! `uuid`, `name`, …).
//!
//! May import the rest of `spec`.

use std::collections::HashMap;

use serde_json::Value;

use crate::spec::{Api, Method, Operation, ParamLocation, StatusKey};

/// Where a created item's id comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdSource {
    /// A JSON pointer into the create response body.
    Response(String),
    /// A field of the create request body, echoed back as the id.
    Request(String),
    /// The client chooses it: the item parameter of a `PUT` create.
    Chosen,
    /// Nowhere the spec shows; the fields looked for (none: the response documents no body).
    Unknown(Vec<String>),
}

/// A collection whose items an operation creates.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The id of the create operation.
    pub create: String,
    /// The collection's path template (`/courses/{courseId}/aliases`).
    pub collection: String,
    /// The item's path template (`/courses/{courseId}/aliases/{alias}`), as an operation on
    /// one item names it.
    pub item: String,
    /// The item parameter's name in `item`.
    pub param: String,
    /// Where the new item's id is.
    pub id: IdSource,
    /// Whether ids are integers.
    pub integer_ids: bool,
    /// Read, delete and list, when the spec has them (operation ids).
    pub read: Option<String>,
    /// Delete one item.
    pub delete: Option<String>,
    /// List the collection.
    pub list: Option<String>,
    /// The number of path parameters of the collection (the parents' ids).
    pub depth: usize,
}

/// What produces one path parameter of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Producer {
    /// The resource at this index of [`Graph::resources`].
    Resource(usize),
    /// An OpenAPI link: this operation's response, at this pointer.
    Link {
        /// The operation whose response gives the value.
        operation: String,
        /// A JSON pointer into its response body.
        pointer: String,
    },
}

/// The resources of an API and how its operations' path parameters are produced.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// The resources, in the order of their create operations.
    pub resources: Vec<Resource>,
    links: Vec<(String, String, String, String)>,
    /// What each operation's path parameters need, by `METHOD /path`: worked out once, as
    /// the stub asks on every request.
    needs: HashMap<String, Vec<(String, Option<Producer>)>>,
}

/// A path template split into segments; a parameter segment is `{}` plus what follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    /// The segment with its parameter name left out and a format extension dropped.
    shape: String,
    /// The parameter's name, when the segment starts with one.
    param: Option<String>,
}

fn segments(path: &str) -> Vec<Segment> {
    path.trim_end_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|raw| {
            let raw = strip_extension(raw);
            match raw.strip_prefix('{').and_then(|r| r.split_once('}')) {
                Some((name, rest)) => Segment {
                    shape: format!("{{}}{rest}"),
                    param: Some(name.to_owned()),
                },
                None => Segment {
                    shape: raw.to_owned(),
                    param: None,
                },
            }
        })
        .collect()
}

/// `Addresses.json` and `{Sid}.json` without the extension, so a collection and its item
/// line up.
fn strip_extension(segment: &str) -> &str {
    for ext in [".json", ".xml", ".csv"] {
        if let Some(stem) = segment.strip_suffix(ext) {
            if !stem.is_empty() {
                return stem;
            }
        }
    }
    segment
}

/// Whether two segment lists name the same path, parameter names aside.
fn same_shape(a: &[Segment], b: &[Segment]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.shape == y.shape)
}

/// The segment with a `:verb` suffix after its parameter removed (`{id}:accept` is `{id}`).
fn bare(segment: &Segment) -> Segment {
    match &segment.param {
        Some(_) => Segment {
            shape: "{}".to_owned(),
            param: segment.param.clone(),
        },
        None => segment.clone(),
    }
}

impl Graph {
    /// The graph of `api`.
    pub fn of(api: &Api) -> Graph {
        let mut graph = Graph {
            resources: Vec::new(),
            links: links(api),
            needs: HashMap::new(),
        };
        for create in &api.operations {
            if let Some(mut resource) = post_create(api, create).or_else(|| put_create(api, create))
            {
                if let Some((pointer, integer)) = graph.linked_id(api, create, &resource) {
                    resource.id = IdSource::Response(pointer);
                    resource.integer_ids = integer;
                }
                if !graph.resources.iter().any(|r| r.item == resource.item) {
                    graph.resources.push(resource);
                }
            }
        }
        let needs = api
            .operations
            .iter()
            .map(|op| (needs_key(op), graph.needs_of(op)))
            .collect();
        graph.needs = needs;
        graph
    }

    /// Where a link from `create`'s response to an operation on the item says the new item's
    /// id is, and whether it is an integer: a link beats inference.
    fn linked_id(
        &self,
        api: &Api,
        create: &Operation,
        resource: &Resource,
    ) -> Option<(String, bool)> {
        if resource.id == IdSource::Chosen {
            return None;
        }
        let item: Vec<Segment> = segments(&resource.item).iter().map(bare).collect();
        let (_, _, _, pointer) = self.links.iter().find(|(source, target, param, _)| {
            let Some(op) = api.operations.iter().find(|o| {
                o.id == *target || *target == format!("{} {}", o.method.as_str(), o.path)
            }) else {
                return false;
            };
            let segs: Vec<Segment> = segments(&op.path).iter().map(bare).collect();
            source == &create.id
                && segs.len() >= item.len()
                && same_shape(&segs[..item.len()], &item)
                && segs[item.len() - 1].param.as_ref() == Some(param)
        })?;
        let integer = success_schemas(api, create).into_iter().any(|top| {
            let mut schema = Some(top);
            for name in pointer.split('/').skip(1) {
                schema = schema.and_then(|s| api.schemas.property(s, name));
            }
            schema.is_some_and(|s| api.schemas.types(s) == ["integer"])
        });
        Some((pointer.clone(), integer))
    }

    /// The resource whose items `op`'s path addresses at path-parameter `name`.
    pub fn resource_for(&self, op: &Operation, name: &str) -> Option<usize> {
        let segs = segments(&op.path);
        let at = segs.iter().position(|s| s.param.as_deref() == Some(name))?;
        let mut prefix: Vec<Segment> = segs[..at].to_vec();
        prefix.push(bare(&segs[at]));
        self.resources.iter().position(|r| {
            let mut item = segments(&r.item);
            if let Some(last) = item.pop() {
                item.push(bare(&last));
            }
            same_shape(&prefix, &item)
        })
    }

    /// What produces path parameter `name` of `op`: a link first, then the path. A `PUT`
    /// create is not its own producer.
    pub fn producer(&self, op: &Operation, name: &str) -> Option<Producer> {
        let linked = self.links.iter().find(|(_, target, param, _)| {
            (target == &op.id || *target == format!("{} {}", op.method.as_str(), op.path))
                && param == name
        });
        if let Some((source, _, _, pointer)) = linked {
            return Some(Producer::Link {
                operation: source.clone(),
                pointer: pointer.clone(),
            });
        }
        let index = self.resource_for(op, name)?;
        let own_create =
            self.resources[index].create == op.id && self.resources[index].id == IdSource::Chosen;
        (!own_create).then_some(Producer::Resource(index))
    }

    /// The path parameters of `op`, in path order, each with its producer.
    pub fn needs(&self, op: &Operation) -> Vec<(String, Option<Producer>)> {
        match self.needs.get(&needs_key(op)) {
            Some(needs) => needs.clone(),
            None => self.needs_of(op),
        }
    }

    fn needs_of(&self, op: &Operation) -> Vec<(String, Option<Producer>)> {
        segments(&op.path)
            .into_iter()
            .filter_map(|s| s.param)
            .map(|name| {
                let producer = self.producer(op, &name);
                (name, producer)
            })
            .collect()
    }

    /// The resource whose single item `op` acts on: its path is the item path, parameter
    /// names aside.
    pub fn item_of(&self, op: &Operation) -> Option<usize> {
        let segs = segments(&op.path);
        self.resources
            .iter()
            .position(|r| same_shape(&segments(&r.item), &segs))
    }

    /// The resource `op` lists, if it is a `GET` on a collection.
    pub fn listed_by(&self, op: &Operation) -> Option<usize> {
        self.resources
            .iter()
            .position(|r| r.list.as_deref() == Some(op.id.as_str()))
    }

    /// The resource `op` creates, if it is a create.
    pub fn created_by(&self, op: &Operation) -> Option<usize> {
        self.resources.iter().position(|r| r.create == op.id)
    }
}

/// The key of an operation in [`Graph`]'s table of needs.
fn needs_key(op: &Operation) -> String {
    format!("{} {}", op.method.as_str(), op.path)
}

/// `(source operation, target, parameter, pointer)` for every link whose value is a pointer
/// into the source's response body.
fn links(api: &Api) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for op in &api.operations {
        for response in &op.responses {
            if !matches!(
                response.status,
                StatusKey::Code(200..=299) | StatusKey::Range(2)
            ) {
                continue;
            }
            for link in &response.links {
                for (param, expression) in &link.parameters {
                    if let Some(pointer) = expression.strip_prefix("$response.body#") {
                        out.push((
                            op.id.clone(),
                            link.target.clone(),
                            param.clone(),
                            pointer.to_owned(),
                        ));
                    }
                }
            }
        }
    }
    out
}

/// A `POST` on a collection with an operation on `{param}` below it.
fn post_create(api: &Api, create: &Operation) -> Option<Resource> {
    if create.method != Method::Post {
        return None;
    }
    let collection = segments(&create.path);
    let last = collection.last()?;
    if last.param.is_some() || last.shape.contains(':') {
        return None;
    }
    let below = |op: &&Operation| {
        let segs = segments(&op.path);
        segs.len() > collection.len()
            && same_shape(&segs[..collection.len()], &collection)
            && segs[collection.len()].param.is_some()
    };
    let items: Vec<&Operation> = api.operations.iter().filter(below).collect();
    let exact = |m: Method| {
        items.iter().copied().find(|o| {
            o.method == m && {
                let segs = segments(&o.path);
                segs.len() == collection.len() + 1 && segs[collection.len()].shape == "{}"
            }
        })
    };
    let item_op = exact(Method::Get)
        .or_else(|| exact(Method::Delete))
        .or_else(|| items.iter().copied().find(|o| o.method != Method::Post))
        .or_else(|| items.first().copied())?;
    let item_segs = segments(&item_op.path);
    let param = item_segs[collection.len()].param.clone()?;
    let item = template_prefix(&item_op.path, collection.len() + 1, &param);
    let (id, integer_ids) = id_source(api, create, &param, &last.shape);
    Some(Resource {
        create: create.id.clone(),
        collection: create.path.trim_end_matches('/').to_owned(),
        item,
        param,
        id,
        integer_ids,
        read: exact(Method::Get).map(|o| o.id.clone()),
        delete: exact(Method::Delete).map(|o| o.id.clone()),
        list: api
            .operations
            .iter()
            .find(|o| o.method == Method::Get && same_shape(&segments(&o.path), &collection))
            .map(|o| o.id.clone()),
        depth: collection.iter().filter(|s| s.param.is_some()).count(),
    })
}

/// A `PUT` on an item, with a `GET` on the same item, and no `POST` on its collection: the
/// client chooses the id.
fn put_create(api: &Api, create: &Operation) -> Option<Resource> {
    if create.method != Method::Put {
        return None;
    }
    let segs = segments(&create.path);
    let (last, parents) = segs.split_last()?;
    let param = last.param.clone().filter(|_| last.shape == "{}")?;
    let same = |m: Method| {
        api.operations
            .iter()
            .find(|o| o.method == m && same_shape(&segments(&o.path), &segs))
    };
    let read = same(Method::Get)?;
    let posted = api
        .operations
        .iter()
        .any(|o| o.method == Method::Post && same_shape(&segments(&o.path), parents));
    if posted {
        return None;
    }
    let schema = path_param_schema(api, create, &param);
    Some(Resource {
        create: create.id.clone(),
        collection: template_prefix(&create.path, parents.len(), ""),
        item: create.path.clone(),
        param,
        id: IdSource::Chosen,
        integer_ids: schema.is_some_and(|s| api.schemas.types(s) == ["integer"]),
        read: Some(read.id.clone()),
        delete: same(Method::Delete).map(|o| o.id.clone()),
        list: api
            .operations
            .iter()
            .find(|o| o.method == Method::Get && same_shape(&segments(&o.path), parents))
            .map(|o| o.id.clone()),
        depth: parents.iter().filter(|s| s.param.is_some()).count(),
    })
}

/// The first `n` segments of `path` as a template; the last one cut after `{param}` when
/// `param` is given (`{id}:accept` becomes `{id}`).
fn template_prefix(path: &str, n: usize, param: &str) -> String {
    let raw: Vec<&str> = path
        .trim_end_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .take(n)
        .collect();
    let mut out = String::new();
    for (i, seg) in raw.iter().enumerate() {
        out.push('/');
        if i + 1 == raw.len() && !param.is_empty() {
            let whole = format!("{{{param}}}");
            match seg.find(&whole) {
                Some(at) => {
                    out.push_str(&seg[..at + whole.len()]);
                    let rest = &seg[at + whole.len()..];
                    if strip_extension(&format!("x{rest}")) == "x" {
                        out.push_str(rest);
                    }
                }
                None => out.push_str(seg),
            }
        } else {
            out.push_str(seg);
        }
    }
    out
}

fn path_param_schema<'a>(api: &'a Api, op: &Operation, name: &str) -> Option<&'a Value> {
    op.parameters
        .iter()
        .find(|p| p.name == name && p.location == ParamLocation::Path)
        .and_then(|p| p.schema.as_ref())
        .and_then(|s| api.schemas.get(s))
}

/// The words an identifier's name is, or ends with.
const ID_WORDS: [&str; 8] = [
    "id",
    "sid",
    "name",
    "key",
    "slug",
    "uuid",
    "identifier",
    "code",
];

/// Whether a parameter's name says it names an item: `id`, `petId`, `guild_id`, `Sid`,
/// `name`, `key`, `slug`, `uuid`, or a who or where (`principal`, `username`, `owner`,
/// `tenant`, `bucket`) that must exist for a request on it to succeed.
pub fn names_an_item(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // The word ends the name at a word boundary: `guild_id`, `petId`, `AccountSid`, `userID`;
    // not `valid`, `paid` or `hostname`.
    let ends_in_word = |word: &str| {
        if lower == word {
            return true;
        }
        if !lower.ends_with(word) {
            return false;
        }
        let (head, tail) = name.split_at(name.len() - word.len());
        head.ends_with(['_', '-', '.'])
            || (tail.starts_with(|c: char| c.is_ascii_uppercase())
                && head.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()))
    };
    const WHOS: [&str; 16] = [
        "principal",
        "user",
        "login",
        "owner",
        "account",
        "email",
        "handle",
        "member",
        "tenant",
        "org",
        "organization",
        "team",
        "project",
        "repo",
        "bucket",
        "workspace",
    ];
    ID_WORDS.iter().chain(&WHOS).any(|word| ends_in_word(word))
}

impl Graph {
    /// The path parameters that name an item nothing in the spec creates: the items a run
    /// must be given, as (fixture name, parameter name, the first operation that has it).
    pub fn standing<'a>(&self, api: &'a Api) -> Vec<(String, String, &'a Operation)> {
        let mut out: Vec<(String, String, &Operation)> = Vec::new();
        for op in &api.operations {
            for (name, producer) in self.needs(op) {
                let fixed = op
                    .parameters
                    .iter()
                    .find(|p| p.name == name && p.location == ParamLocation::Path)
                    .is_some_and(|p| p.shows_a_value(&api.schemas));
                let chosen = self
                    .created_by(op)
                    .is_some_and(|i| self.resources[i].param == name);
                let key = fixture_name(&op.path, &name);
                if producer.is_none()
                    && !fixed
                    && !chosen
                    && names_an_item(&name)
                    && !out.iter().any(|(k, _, _)| *k == key)
                {
                    out.push((key, name, op));
                }
            }
        }
        out
    }
}

/// The fixture value that names the item path parameter `name` of `path` stands for: the
/// name itself when it says what it names (`guild_id`), else the segment before it with the
/// name (`albums_id`, `Conferences_Sid`), since `{id}` of one collection is not `{id}` of
/// another.
pub fn fixture_name(path: &str, name: &str) -> String {
    let generic = ID_WORDS.contains(&name.to_ascii_lowercase().as_str());
    if !generic {
        return name.to_owned();
    }
    let segs = segments(path);
    let at = segs.iter().position(|s| s.param.as_deref() == Some(name));
    let before = at
        .and_then(|at| segs[..at].iter().rev().find(|s| s.param.is_none()))
        .map(|s| {
            s.shape
                .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
        });
    match before {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}_{name}"),
        _ => name.to_owned(),
    }
}

/// The field names an id for `param` of a `collection` may have, most telling first.
pub fn id_candidates(param: &str, collection: &str) -> Vec<String> {
    let singular = singular(collection);
    let mut out = vec![param.to_owned()];
    let lower = param.to_ascii_lowercase();
    for suffix in ["id", "name", "key", "slug", "uuid", "sid", "code"] {
        if lower.ends_with(suffix) {
            out.push(suffix.to_owned());
        }
    }
    out.extend([
        format!("{singular}Id"),
        format!("{singular}_id"),
        "id".to_owned(),
        "uuid".to_owned(),
        "name".to_owned(),
    ]);
    out.dedup();
    out
}

fn singular(collection: &str) -> String {
    let word = collection.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let mut chars = word.chars();
    let lowered: String = chars
        .next()
        .map(|c| c.to_ascii_lowercase())
        .into_iter()
        .chain(chars)
        .collect();
    lowered
        .strip_suffix("ies")
        .map(|s| format!("{s}y"))
        .or_else(|| lowered.strip_suffix('s').map(str::to_owned))
        .unwrap_or(lowered)
}

/// Folds case and `_`/`-` away, so `Sid`, `sid` and `S_ID` compare equal.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Where the id of an item `create` makes is, and whether it is an integer.
fn id_source(api: &Api, create: &Operation, param: &str, collection: &str) -> (IdSource, bool) {
    let candidates = id_candidates(param, collection);
    let integer = |schema: &Value| api.schemas.types(schema) == ["integer"];
    let singular = singular(collection);
    // The first documented 2xx whose body names the id: a create that answers 200 when the
    // item existed and 201 with the item when it made it has the id in the 201.
    for schema in success_schemas(api, create) {
        let mut places = vec![(String::new(), schema)];
        // One conventional wrapper level: `{"data": {"id": …}}`.
        for (name, sub) in api.schemas.properties(schema) {
            let wrapper = ["data", "result", "item", "resource", singular.as_str()]
                .iter()
                .any(|w| fold(w) == fold(name));
            if wrapper && !api.schemas.properties(sub).is_empty() {
                places.push((format!("/{name}"), sub));
            }
        }
        for (prefix, place) in &places {
            for candidate in &candidates {
                let found = api
                    .schemas
                    .properties(place)
                    .into_iter()
                    .find(|(name, _)| fold(name) == fold(candidate));
                if let Some((name, sub)) = found {
                    let pointer =
                        format!("{prefix}/{}", name.replace('~', "~0").replace('/', "~1"));
                    return (IdSource::Response(pointer), integer(sub));
                }
            }
        }
    }
    if let Some(schema) = success_schemas(api, create).first() {
        if !api.schemas.properties(schema).is_empty() {
            if let Some((field, sub)) = request_field(api, create, &candidates) {
                return (IdSource::Request(field), integer(sub));
            }
            return (IdSource::Unknown(candidates), false);
        }
    }
    let documents_body = create
        .successes()
        .first()
        .is_some_and(|(_, r)| !r.content.is_empty());
    if !documents_body {
        if let Some((field, sub)) = request_field(api, create, &candidates) {
            return (IdSource::Request(field), integer(sub));
        }
        return (IdSource::Unknown(Vec::new()), false);
    }
    // A free-form body: the id is most likely `id`.
    if let Some((field, sub)) = request_field(api, create, &candidates) {
        return (IdSource::Request(field), integer(sub));
    }
    (IdSource::Response("/id".to_owned()), false)
}

/// A request body field named like the id.
fn request_field<'a>(
    api: &'a Api,
    create: &Operation,
    candidates: &[String],
) -> Option<(String, &'a Value)> {
    let media = create
        .request_body
        .as_ref()?
        .content
        .iter()
        .find(|m| m.name.contains("json"))?;
    let schema = api.schemas.get(media.schema.as_ref()?)?;
    let properties = api.schemas.properties(schema);
    candidates.iter().find_map(|c| {
        properties
            .iter()
            .find(|(name, _)| fold(name) == fold(c) && fold(c) != "id")
            .map(|(name, sub)| ((*name).to_owned(), *sub))
    })
}

/// The schemas of the documented 2xx responses' JSON bodies, lowest status first.
fn success_schemas<'a>(api: &'a Api, op: &Operation) -> Vec<&'a Value> {
    op.successes()
        .into_iter()
        .filter_map(|(_, response)| {
            let media = response
                .content
                .iter()
                .find(|m| m.name.contains("json"))
                .or_else(|| response.content.first())?;
            api.schemas.get(media.schema.as_ref()?)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_leave_names_verbs_and_extensions_aside() {
        let a = segments("/v1/courses/{id}");
        let b = segments("/v1/courses/{courseId}/aliases");
        assert!(same_shape(&a, &b[..3]));
        let c = segments("/2010-04-01/Accounts/{Sid}.json");
        let d = segments("/2010-04-01/Accounts.json");
        assert_eq!(c[1].shape, d[1].shape);
        assert_eq!(
            bare(&segments("/v1/invitations/{id}:accept")[2]).shape,
            "{}"
        );
    }

    #[test]
    fn template_prefix_cuts_after_the_parameter() {
        assert_eq!(
            template_prefix("/v1/invitations/{id}:accept", 3, "id"),
            "/v1/invitations/{id}"
        );
        assert_eq!(template_prefix("/a/{Sid}.json", 2, "Sid"), "/a/{Sid}.json");
        assert_eq!(template_prefix("/a/{x}/b/{y}/c", 3, ""), "/a/{x}/b");
    }

    #[test]
    fn a_who_or_an_id_names_an_item_and_a_version_or_a_number_does_not() {
        for name in [
            "id",
            "petId",
            "guild_id",
            "Sid",
            "collection_name",
            "principal",
            "user",
        ] {
            assert!(names_an_item(name), "{name}");
        }
        for name in ["version", "format", "n", "delay", "year", "token"] {
            assert!(!names_an_item(name), "{name}");
        }
    }

    #[test]
    fn candidates_name_the_resource() {
        let c = id_candidates("collection_name", "collections");
        assert_eq!(&c[..2], ["collection_name", "name"]);
        assert!(c.contains(&"collection_id".to_owned()));
        assert_eq!(singular("pets"), "pet");
        assert_eq!(singular("policies"), "policy");
    }
}
