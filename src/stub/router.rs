//! Path matching, ours: each path template compiles to a matcher that understands Google
//! custom verbs (`/v1/invitations/{id}:accept`) and the percent-encoded colon (`%3A`),
//! percent-decodes parameters, and prefers literal segments over templated ones.

/// One piece of a segment template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Param(String),
}

/// A compiled path template.
#[derive(Debug, Clone)]
pub struct PathTemplate {
    template: String,
    segments: Vec<Vec<Piece>>,
}

/// How specific a match is: more literal characters first, then fewer parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Specificity {
    literal_segments: usize,
    literal_chars: usize,
}

impl PathTemplate {
    /// Compiles `template` (e.g. `/v1/invitations/{id}:accept`).
    pub fn new(template: &str) -> Self {
        let segments = split_segments(template)
            .into_iter()
            .map(|seg| parse_segment(&seg))
            .collect();
        PathTemplate {
            template: template.to_owned(),
            segments,
        }
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.template
    }

    /// The parameter names, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().flatten().filter_map(|p| match p {
            Piece::Param(n) => Some(n.as_str()),
            Piece::Literal(_) => None,
        })
    }

    /// Matches a raw (percent-encoded) request path; on success, the decoded parameters and
    /// how specific the match was.
    pub fn matches(&self, raw_path: &str) -> Option<(Vec<(String, String)>, Specificity)> {
        let segments: Vec<String> = split_segments(raw_path)
            .into_iter()
            .map(|s| decode(&s))
            .collect();
        if segments.len() != self.segments.len() {
            return None;
        }
        let mut params = Vec::new();
        let mut spec = Specificity {
            literal_segments: 0,
            literal_chars: 0,
        };
        for (pieces, actual) in self.segments.iter().zip(&segments) {
            match_segment(pieces, actual, &mut params)?;
            if pieces.iter().all(|p| matches!(p, Piece::Literal(_))) {
                spec.literal_segments += 1;
            }
            spec.literal_chars += pieces
                .iter()
                .map(|p| match p {
                    Piece::Literal(l) => l.len(),
                    Piece::Param(_) => 0,
                })
                .sum::<usize>();
        }
        Some((params, spec))
    }
}

/// Decoded path parameters, by name.
pub type Params = Vec<(String, String)>;

/// Picks the most specific template matching `raw_path` among `(key, template)` pairs.
pub fn best_match<'a, K>(
    routes: impl IntoIterator<Item = (K, &'a PathTemplate)>,
    raw_path: &str,
) -> Option<(K, Params)> {
    let mut best: Option<(K, Params, Specificity)> = None;
    for (key, template) in routes {
        if let Some((params, spec)) = template.matches(raw_path) {
            if best.as_ref().is_none_or(|(_, _, s)| spec > *s) {
                best = Some((key, params, spec));
            }
        }
    }
    best.map(|(k, p, _)| (k, p))
}

fn split_segments(path: &str) -> Vec<String> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let trimmed = path.trim_start_matches('/');
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    if trimmed.is_empty() {
        return Vec::new();
    }
    trimmed.split('/').map(str::to_owned).collect()
}

fn parse_segment(segment: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            pieces.push(Piece::Literal(decode(&rest[..open])));
        }
        pieces.push(Piece::Param(rest[open + 1..open + close].to_owned()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(decode(rest)));
    }
    pieces
}

/// Matches pieces against one decoded segment. A parameter takes the shortest text that lets
/// the following literal match at the end (so `{id}:accept` gives `id` everything before the
/// last `:accept`); a parameter never matches empty text.
fn match_segment(pieces: &[Piece], actual: &str, params: &mut Vec<(String, String)>) -> Option<()> {
    match pieces {
        [] => actual.is_empty().then_some(()),
        [Piece::Literal(l), rest @ ..] => {
            let tail = actual.strip_prefix(l.as_str())?;
            match_segment(rest, tail, params)
        }
        [Piece::Param(name)] => {
            if actual.is_empty() {
                return None;
            }
            params.push((name.clone(), actual.to_owned()));
            Some(())
        }
        [Piece::Param(name), Piece::Literal(l), rest @ ..] => {
            // Try the rightmost occurrence first so ids containing the literal still work.
            let mut candidates: Vec<usize> =
                actual.match_indices(l.as_str()).map(|(i, _)| i).collect();
            candidates.reverse();
            for i in candidates.into_iter().filter(|i| *i > 0) {
                let mut attempt = params.clone();
                attempt.push((name.clone(), actual[..i].to_owned()));
                if match_segment(rest, &actual[i + l.len()..], &mut attempt).is_some() {
                    *params = attempt;
                    return Some(());
                }
            }
            None
        }
        // Two parameters in a row cannot be told apart; the first takes one character.
        [Piece::Param(name), rest @ ..] => {
            let first = actual.chars().next()?;
            params.push((name.clone(), first.to_string()));
            match_segment(rest, &actual[first.len_utf8()..], params)
        }
    }
}

/// Percent-decodes a path segment (`%3A` becomes `:`); invalid escapes stay as written.
pub fn decode(s: &str) -> String {
    crate::spec::percent_decode(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(template: &str, path: &str) -> Option<Vec<(String, String)>> {
        PathTemplate::new(template).matches(path).map(|(p, _)| p)
    }

    #[test]
    fn matches_google_custom_verbs_raw_and_encoded() {
        let t = "/v1/invitations/{id}:accept";
        let want = Some(vec![("id".to_owned(), "abc".to_owned())]);
        assert_eq!(params(t, "/v1/invitations/abc:accept"), want);
        assert_eq!(params(t, "/v1/invitations/abc%3Aaccept"), want);
        assert_eq!(params(t, "/v1/invitations/abc%3aaccept"), want);
        assert_eq!(params(t, "/v1/invitations/abc"), None);
        assert_eq!(params(t, "/v1/invitations/:accept"), None);
    }

    #[test]
    fn decodes_parameters() {
        assert_eq!(
            params("/users/{email}", "/users/ada%40school.test"),
            Some(vec![("email".to_owned(), "ada@school.test".to_owned())])
        );
    }

    #[test]
    fn prefers_literal_segments_over_templated_ones() {
        let routes = [
            ("param", PathTemplate::new("/v1/invitations/{id}")),
            ("verb", PathTemplate::new("/v1/invitations/{id}:accept")),
            ("literal", PathTemplate::new("/v1/invitations/mine")),
        ];
        let pick = |p: &str| best_match(routes.iter().map(|(k, t)| (*k, t)), p).map(|(k, _)| k);
        assert_eq!(pick("/v1/invitations/mine"), Some("literal"));
        assert_eq!(pick("/v1/invitations/7"), Some("param"));
        assert_eq!(pick("/v1/invitations/7:accept"), Some("verb"));
        assert_eq!(pick("/v1/invitations/7%3Aaccept"), Some("verb"));
        assert_eq!(pick("/v1/courses"), None);
    }

    #[test]
    fn ignores_trailing_slash_and_query() {
        assert!(params("/v1/invitations", "/v1/invitations/").is_some());
        assert!(params("/v1/invitations", "/v1/invitations?x=1").is_some());
        assert!(params("/", "/").is_some());
    }

    #[test]
    fn id_containing_the_verb_literal_still_matches() {
        assert_eq!(
            params("/x/{id}:go", "/x/a:go:go"),
            Some(vec![("id".to_owned(), "a:go".to_owned())])
        );
    }
}
