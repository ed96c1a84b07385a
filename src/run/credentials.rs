//! Credentials on the wire: an identity's value is sent the way the operation's security
//! requirement says. `apiKey` goes in its header, query parameter or cookie under its declared
//! name; `http` bearer and `oauth2`/`openIdConnect` as a bearer token; `http` basic as Basic.
//! An operation that declares no security, or `security: []`, needs no credentials; an identity
//! sent to one anyway goes as `Authorization` (a scenario file may ask for it). May import
//! `spec` and `scenario` (for base64).

use crate::scenario::synth::base64;
use crate::spec::{Api, Operation, SecurityRequirement, SecurityScheme};

/// Where an identity's value goes for one request.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Headers to add, names lowercase.
    pub headers: Vec<(String, String)>,
    /// Query parameters to add, not yet encoded.
    pub query: Vec<(String, String)>,
}

impl Placed {
    /// Adds a header unless one of that name is already placed: two schemes of one
    /// alternative that both use `Authorization` share it.
    fn header(&mut self, name: &str, value: String) {
        if !self.headers.iter().any(|(n, _)| n == name) {
            self.headers.push((name.to_owned(), value));
        }
    }
}

/// How to send `value` (the identity's credential) to `op`: through the first alternative of
/// its security requirement whose schemes the API declares, else as `Authorization`.
pub fn place(api: &Api, op: &Operation, value: &str) -> Placed {
    let schemes = |alternative: &SecurityRequirement| -> Option<Vec<&SecurityScheme>> {
        alternative
            .iter()
            .map(|(name, _)| api.security_schemes.iter().find(|s| &s.name == name))
            .collect()
    };
    let chosen = op
        .security
        .iter()
        .filter(|a| !a.is_empty())
        .find_map(schemes);
    let mut placed = Placed::default();
    match chosen {
        // `http` and token schemes first: when an apiKey shares `Authorization` with one of
        // them, the header takes the form the other scheme asks for.
        Some(mut schemes) => {
            schemes.sort_by_key(|s| s.kind == "apiKey");
            schemes.into_iter().for_each(|s| put(s, value, &mut placed));
        }
        // No scheme to follow: the identity's value is the whole `Authorization` value.
        None => placed
            .headers
            .push(("authorization".to_owned(), value.to_owned())),
    }
    placed
}

fn put(scheme: &SecurityScheme, value: &str, placed: &mut Placed) {
    let raw = bare(value);
    match (scheme.kind.as_str(), scheme.scheme.as_deref()) {
        ("apiKey", place) => {
            let name = scheme.param_name.clone().unwrap_or_default();
            match place {
                Some("query") => placed.query.push((name, raw.to_owned())),
                Some("cookie") => placed.header("cookie", format!("{name}={raw}")),
                // An apiKey in `Authorization` takes the identity's value whole, as any
                // `Authorization` value does.
                _ if name.eq_ignore_ascii_case("authorization") => {
                    placed.header("authorization", value.to_owned());
                }
                _ => placed.header(&name.to_ascii_lowercase(), raw.to_owned()),
            }
        }
        ("http", Some(s)) if s.eq_ignore_ascii_case("basic") => {
            placed.header("authorization", basic(value));
        }
        ("mutualTLS", _) => {}
        _ => placed.header("authorization", authorization(value, "Bearer")),
    }
}

/// The token without an auth-scheme word in front (`Bearer abc` is `abc`).
fn bare(value: &str) -> &str {
    match value.split_once(' ') {
        Some((word, rest)) if is_scheme_word(word) => rest.trim(),
        _ => value,
    }
}

fn is_scheme_word(word: &str) -> bool {
    ["bearer", "basic", "token", "digest", "apikey"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

/// A full `Authorization` value: kept when it names its scheme (`Bearer abc`, `SSWS abc`),
/// else `{scheme} {value}`.
fn authorization(value: &str, scheme: &str) -> String {
    if value.trim().contains(' ') {
        value.to_owned()
    } else {
        format!("{scheme} {value}")
    }
}

/// `Basic ...`: a value that already says Basic is kept, `user:password` is encoded, anything
/// else is taken as already encoded.
fn basic(value: &str) -> String {
    let raw = bare(value);
    if value.to_ascii_lowercase().starts_with("basic ") {
        value.to_owned()
    } else if raw.contains(':') {
        format!("Basic {}", base64(raw))
    } else {
        format!("Basic {raw}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base64(plain), encoded, "{plain}");
        }
    }

    #[test]
    fn values_take_the_scheme_s_form() {
        assert_eq!(authorization("abc", "Bearer"), "Bearer abc");
        assert_eq!(authorization("Bearer abc", "Bearer"), "Bearer abc");
        assert_eq!(authorization("SSWS abc", "Bearer"), "SSWS abc");
        assert_eq!(bare("Bearer abc"), "abc");
        assert_eq!(bare("abc def"), "abc def");
        assert_eq!(
            basic("Aladdin:open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(basic("Basic QWxh"), "Basic QWxh");
        assert_eq!(basic("QWxh"), "Basic QWxh");
    }
}

#[cfg(test)]
mod placement {
    use super::*;

    fn placed(op: &str, value: &str) -> Placed {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/security/schemes.yaml");
        let api = Api::load(&path).expect("fixture");
        let op = api.operation(op).expect("operation");
        place(&api, op, value)
    }

    fn header(name: &str, value: &str) -> Vec<(String, String)> {
        vec![(name.to_owned(), value.to_owned())]
    }

    #[test]
    fn each_scheme_puts_the_credential_where_it_declares() {
        assert_eq!(
            placed("byHeader", "Bearer t1").headers,
            header("x-api-token", "t1")
        );
        let query = placed("byQuery", "t2");
        assert_eq!(
            (query.headers.len(), query.query),
            (0, header("api_key", "t2"))
        );
        assert_eq!(placed("byCookie", "t3").headers, header("cookie", "sid=t3"));
        assert_eq!(
            placed("byBasic", "ada:secret").headers,
            header("authorization", "Basic YWRhOnNlY3JldA==")
        );
        assert_eq!(
            placed("byOauth", "t4").headers,
            header("authorization", "Bearer t4")
        );
    }

    #[test]
    fn an_alternative_of_several_schemes_sends_each() {
        let both = placed("byEither", "t5").headers;
        assert_eq!(
            both,
            vec![
                ("authorization".to_owned(), "Bearer t5".to_owned()),
                ("x-api-token".to_owned(), "t5".to_owned()),
            ]
        );
    }

    #[test]
    fn two_schemes_that_both_use_authorization_share_one_header() {
        assert_eq!(
            placed("byKeyAndBearer", "Bearer t6").headers,
            header("authorization", "Bearer t6")
        );
    }

    #[test]
    fn only_operations_with_a_requirement_need_credentials() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/security/schemes.yaml");
        let api = Api::load(&path).expect("fixture");
        let needs = |id: &str| api.operation(id).expect("op").needs_credentials();
        assert!(needs("byHeader") && needs("byEither"));
        assert!(!needs("open"), "security: [] asks for nothing");
    }
}
