//! Error outcomes: recipes per kind of documented error (missing resource, invalid input,
//! missing or wrong credentials, no rights), each with one scenario per way of provoking it;
//! a `4XX` range gets the recipes whose status it stands for. An outcome that cannot be
//! provoked from the spec alone is a scenario ignored with the reason: "needs a scenario
//! file" when it takes domain knowledge (what must be unique), "cannot be provoked safely"
//! for rate limits and server errors, "no recipe" otherwise.
//!
//! May import `spec` and the rest of `scenario`.

use serde_json::Value;

use super::chain::{prune, Chain};
use super::{scenario, scenario_seed, GenerateOptions};
use crate::scenario::model::{Outcome, Probe, Scenario, Step};
use crate::scenario::synth;
use crate::scenario::INVALID_IDENTITY;
use crate::spec::{
    names_an_item, Api, ErrorCode, Graph, IdSource, Operation, ParamLocation, StatusKey,
};

/// Why an outcome gets no scenario that runs.
enum Unprovable {
    /// No generic recipe; a scenario file can add one.
    NoRecipe(&'static str),
    /// It takes knowledge the spec does not give: the variant name, and why.
    NeedsFile(&'static str, &'static str),
    /// Provoking it could harm the target.
    Unsafe(&'static str),
    /// What it needs cannot be created: why (it names the parameter).
    NoProducer(String),
}

/// What kind of error a documented outcome is, by its Google code or its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NotFound,
    Invalid,
    Unauthenticated,
    Forbidden,
    Duplicate,
    RateLimited,
    ServerError,
    Other,
}

fn kind_of(name: &str, status: Option<u16>, google: bool, op: &Operation) -> Kind {
    match (name, status) {
        ("NOT_FOUND", _) | (_, Some(404)) => Kind::NotFound,
        // With both documented, 400 takes malformed input; 422 needs a semantically wrong one.
        (_, Some(422)) if !google && documents(op, 400) => Kind::Other,
        ("INVALID_ARGUMENT", _) | (_, Some(400 | 422)) if !google || name == "INVALID_ARGUMENT" => {
            Kind::Invalid
        }
        ("UNAUTHENTICATED", _) | (_, Some(401)) => Kind::Unauthenticated,
        ("PERMISSION_DENIED", _) | (_, Some(403)) => Kind::Forbidden,
        ("ALREADY_EXISTS", _) | (_, Some(409)) => Kind::Duplicate,
        ("RESOURCE_EXHAUSTED", _) | (_, Some(429)) => Kind::RateLimited,
        ("INTERNAL" | "UNAVAILABLE" | "DEADLINE_EXCEEDED" | "DATA_LOSS" | "UNKNOWN", _) => {
            Kind::ServerError
        }
        (_, Some(s)) if s >= 500 => Kind::ServerError,
        _ if StatusKey::parse(name) == Some(StatusKey::Range(5)) => Kind::ServerError,
        _ => Kind::Other,
    }
}

/// The scenarios of one documented error code (and reason).
pub(super) fn error(
    api: &Api,
    graph: &Graph,
    op: &Operation,
    code: &ErrorCode,
    reason: Option<&String>,
    options: &GenerateOptions,
) -> Vec<Scenario> {
    let outcome = Outcome::ErrorCode {
        name: code.name.clone(),
        status: code.http_status,
        reason: reason.cloned(),
    };
    let google = code
        .name
        .chars()
        .all(|c| c.is_ascii_uppercase() || c == '_');
    let ignored = |why: Unprovable| vec![unprovable(op, &outcome, why, options)];
    if reason.is_some() {
        return ignored(Unprovable::NoRecipe(
            "a named request error needs domain state",
        ));
    }
    let recipe = Recipe {
        api,
        graph,
        op,
        options,
    };
    let range = StatusKey::parse(&code.name).filter(|k| matches!(k, StatusKey::Range(_)));
    let kinds = match range {
        Some(StatusKey::Range(4)) => {
            let kinds = recipe.kinds_in_client_range();
            if kinds.is_empty() {
                return ignored(Unprovable::NoRecipe(
                    "every client error with a recipe is documented on its own",
                ));
            }
            kinds
        }
        _ => vec![kind_of(&code.name, code.http_status, google, op)],
    };
    let seed = scenario_seed(options, &Scenario::make_id(&op.id, &outcome, "error"));
    let mut out = Vec::new();
    let mut first_problem = None;
    for kind in kinds {
        let expect = |call: &mut Step| {
            match range {
                Some(StatusKey::Range(class)) => call.expect.status_range = Some(class),
                _ => call.expect.status = code.http_status,
            }
            if google {
                call.expect.error_code = Some(code.name.clone());
            }
        };
        match recipe.provoke(kind, seed, expect) {
            Ok(found) => out.extend(found.into_iter().map(|(variant, steps, cleanup)| {
                scenario(op, outcome.clone(), variant, steps, cleanup, None)
            })),
            Err(why) => {
                first_problem.get_or_insert(why);
            }
        }
    }
    match (out.is_empty(), first_problem) {
        (true, Some(why)) => ignored(why),
        (true, None) => ignored(Unprovable::NoRecipe("no generic recipe for this code")),
        (false, _) => out,
    }
}

/// The ignored scenario of an outcome that cannot be provoked, saying why.
fn unprovable(
    op: &Operation,
    outcome: &Outcome,
    why: Unprovable,
    options: &GenerateOptions,
) -> Scenario {
    let (variant, reason) = match why {
        Unprovable::NoRecipe(why) => (
            "no_recipe",
            format!("no recipe: add one in {} ({why})", options.scenario_dir),
        ),
        Unprovable::NeedsFile(variant, why) => (
            variant,
            format!(
                "needs a scenario file: {why} (add one in {})",
                options.scenario_dir
            ),
        ),
        Unprovable::Unsafe(why) => ("unsafe", format!("cannot be provoked safely: {why}")),
        Unprovable::NoProducer(why) => ("valid", why),
    };
    scenario(
        op,
        outcome.clone(),
        variant,
        Vec::new(),
        Vec::new(),
        Some(reason),
    )
}

/// One way to provoke an outcome: its variant name, its steps and its cleanup.
type Provoked = (&'static str, Vec<Step>, Vec<Step>);

/// What an error recipe works with.
struct Recipe<'a> {
    api: &'a Api,
    graph: &'a Graph,
    op: &'a Operation,
    options: &'a GenerateOptions,
}

impl Recipe<'_> {
    /// The scenarios (variant, steps, cleanup) that provoke `kind`: the valid call and the
    /// setup chain it needs, `expect` applied to the call, broken as the recipe says.
    fn provoke(
        &self,
        kind: Kind,
        seed: u64,
        expect: impl Fn(&mut Step),
    ) -> Result<Vec<Provoked>, Unprovable> {
        let (api, graph, op, options) = (self.api, self.graph, self.op, self.options);
        // A missing item is named by the last path parameter that names an item
        // (`{webhook_id}` of `/webhooks/{webhook_id}/{token}`): nothing is created for it.
        let needs = graph.needs(op);
        let last = needs
            .iter()
            .rev()
            .find(|(name, producer)| producer.is_some() || names_an_item(name))
            .map(|(name, _)| name.clone());
        let chain = Chain::new(api, graph, options, seed);
        let prepared = match kind {
            // Credentials are checked before anything is looked up: nothing needs creating.
            Kind::Unauthenticated => Ok(chain.alone(op)),
            Kind::NotFound => chain.prepare(op, last.as_deref()),
            _ => chain.prepare(op, None),
        }
        .map_err(Unprovable::NoProducer)?;
        let mut base = prepared.call.clone();
        expect(&mut base);
        let variants = self.apply(kind, &base, last.as_deref())?;
        Ok(variants
            .into_iter()
            .map(|(variant, call)| {
                let mut steps = prepared.setup.clone();
                let mut cleanup = prepared.cleanup.clone();
                prune(&mut steps, &call, &mut cleanup);
                steps.push(call);
                (variant, steps, cleanup)
            })
            .collect())
    }

    /// The path parameter a 404 probe points at and the never-created value it sends.
    fn missing_item<'l>(&self, last: Option<&'l str>) -> Result<(&'l str, String), Unprovable> {
        let op = self.op;
        let Some(last) = last else {
            return Err(Unprovable::NoRecipe(
                "no path parameter of the operation names an item to point at a missing one",
            ));
        };
        let creates_it = self.graph.created_by(op).is_some_and(|i| {
            let r = &self.graph.resources[i];
            r.id == IdSource::Chosen && r.param == last
        });
        if creates_it {
            return Err(Unprovable::NoRecipe(
                "the operation creates the item its last path parameter names",
            ));
        }
        let Some(missing) = synth::never_created(self.api, op, last) else {
            return Err(Unprovable::NoRecipe(
                "no value of the parameter names an item that is not there",
            ));
        };
        Ok((last, missing))
    }

    /// The kinds a documented `4XX` stands for: those with a recipe whose status the
    /// operation documents nowhere else.
    fn kinds_in_client_range(&self) -> Vec<Kind> {
        let op = self.op;
        let elsewhere = |status: u16| {
            documents(op, status) || op.error_codes.iter().any(|c| c.http_status == Some(status))
        };
        [
            (Kind::Invalid, 400),
            (Kind::Unauthenticated, 401),
            (Kind::Forbidden, 403),
            (Kind::NotFound, 404),
        ]
        .into_iter()
        .filter(|(_, status)| !elsewhere(*status))
        .filter(|(kind, _)| *kind != Kind::Unauthenticated || op.needs_credentials())
        .map(|(kind, _)| kind)
        .collect()
    }

    /// Calls derived from the valid `base` that should fail as `kind` says, each with its
    /// variant name; or why there is none.
    fn apply(
        &self,
        kind: Kind,
        base: &Step,
        last: Option<&str>,
    ) -> Result<Vec<(&'static str, Step)>, Unprovable> {
        let (api, op, options) = (self.api, self.op, self.options);
        let mut call = base.clone();
        Ok(match kind {
            Kind::NotFound => {
                let (last, missing) = self.missing_item(last)?;
                call.params.insert(last.to_owned(), missing);
                vec![("never_created", call)]
            }
            Kind::Invalid => {
                let broken = break_request(api, op, base);
                if broken.is_empty() {
                    return Err(Unprovable::NoRecipe("no field or parameter to break"));
                }
                broken
            }
            Kind::Unauthenticated => {
                if !op.needs_credentials() {
                    return Err(Unprovable::NoRecipe(
                        "the operation asks for no credentials",
                    ));
                }
                call.identity = None;
                let mut out = vec![("no_credentials", call)];
                if op.needs_credentials() {
                    let mut wrong = base.clone();
                    wrong.identity = Some(INVALID_IDENTITY.to_owned());
                    // `ignored_auth` judges it: a credential no one issued must not be served.
                    wrong.expect.probe = Some(Probe::InvalidAuth);
                    out.push(("invalid_credentials", wrong));
                }
                out
            }
            Kind::Forbidden if !op.needs_credentials() => {
                return Err(Unprovable::NoRecipe(
                    "the operation asks for no credentials",
                ))
            }
            Kind::Forbidden => match &options.unprivileged_identity {
                Some(who) => {
                    call.identity = Some(who.clone());
                    vec![("unprivileged", call)]
                }
                None => {
                    return Err(Unprovable::NoRecipe(
                        "the target has no identity without rights",
                    ))
                }
            },
            Kind::Duplicate => {
                return Err(Unprovable::NeedsFile(
                    "duplicate",
                    "the spec does not say what must be unique",
                ))
            }
            Kind::RateLimited => {
                return Err(Unprovable::Unsafe(
                    "it takes exhausting the target's rate limit or quota",
                ))
            }
            Kind::ServerError => {
                return Err(Unprovable::Unsafe(
                    "a server error takes breaking the target",
                ))
            }
            Kind::Other => return Err(Unprovable::NoRecipe("no generic recipe for this code")),
        })
    }
}

fn documents(op: &Operation, status: u16) -> bool {
    op.responses
        .iter()
        .any(|r| r.status == StatusKey::Code(status))
}

/// Texts that break a string format, by format.
const WRONG_FORMATS: [(&str, &str); 5] = [
    ("uuid", "not-a-uuid"),
    ("date-time", "not-a-date-time"),
    ("date", "not-a-date"),
    ("email", "not-an-email"),
    ("uri", "not a uri"),
];

/// Ways to break a valid request, one call each: a required body field dropped
/// (`missing_field`), text in a numeric parameter (`wrong_type`), a value that breaks a
/// parameter's format (`wrong_format`), a value outside a parameter's enum (`not_in_enum`).
/// Query parameters are broken before path parameters; headers are left alone.
fn break_request(api: &Api, op: &Operation, base: &Step) -> Vec<(&'static str, Step)> {
    let mut out = Vec::new();
    if let (Some(Value::Object(body)), Some(rb)) = (&base.body, &op.request_body) {
        let schema = rb
            .content
            .iter()
            .find(|m| m.name.contains("json"))
            .and_then(|m| m.schema.as_ref())
            .and_then(|s| api.schemas.get(s));
        if let Some(schema) = schema {
            let required = api.schemas.required(schema);
            if let Some(field) = required.into_iter().find(|f| body.contains_key(*f)) {
                let mut call = base.clone();
                if let Some(Value::Object(b)) = &mut call.body {
                    b.remove(field);
                }
                out.push(("missing_field", call));
            }
        }
    }
    let params = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .chain(
            op.parameters
                .iter()
                .filter(|p| p.location == ParamLocation::Path),
        );
    for p in params {
        let Some(schema) = p.schema.as_ref().and_then(|s| api.schemas.get(s)) else {
            continue;
        };
        let Some((variant, text)) = fault(api, schema) else {
            continue;
        };
        if out.iter().any(|(v, _)| *v == variant) {
            continue;
        }
        let mut call = base.clone();
        call.params.insert(p.name.clone(), text);
        out.push((variant, call));
    }
    out
}

/// A parameter text that breaks `schema`, with its variant name.
fn fault(api: &Api, schema: &Value) -> Option<(&'static str, String)> {
    if is_numeric(api, schema) {
        return Some(("wrong_type", "not-a-number".to_owned()));
    }
    if let Some(allowed) = api
        .schemas
        .keyword(schema, "enum")
        .and_then(Value::as_array)
    {
        let text = "contractor-not-in-enum";
        let is_string = api.schemas.types(schema).iter().all(|t| *t == "string");
        if is_string && !allowed.iter().any(|v| v == text) {
            return Some(("not_in_enum", text.to_owned()));
        }
    }
    let format = api
        .schemas
        .keyword(schema, "format")
        .and_then(Value::as_str)?;
    if api.schemas.types(schema) != ["string"] {
        return None;
    }
    WRONG_FORMATS
        .iter()
        .find(|(f, _)| *f == format)
        .map(|(_, text)| ("wrong_format", (*text).to_owned()))
}

/// Whether the schema's one type is `integer` or `number`.
fn is_numeric(api: &Api, schema: &Value) -> bool {
    matches!(api.schemas.types(schema).as_slice(), ["integer" | "number"])
}
