//! The line a JSON pointer names in a YAML or JSON document's text, found by a light scan of
//! the text (keys by indentation in YAML, quoted keys in order in JSON). Best effort: it gives
//! the deepest line it could find, which is what an editor annotation needs.

/// The 1-based line of `pointer` (no leading `#`) in `text`, or of its deepest ancestor found.
pub fn line_of(text: &str, pointer: &str) -> Option<u64> {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    if text.trim_start().starts_with('{') || text.trim_start().starts_with('[') {
        json_line(text, &tokens)
    } else {
        yaml_line(text, &tokens)
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The key a YAML line starts with (after any `- `), unquoted, and where that key starts.
fn key_of(line: &str) -> Option<(String, usize)> {
    let mut indent = indent_of(line);
    let mut rest = &line[indent..];
    while let Some(r) = rest.strip_prefix("- ") {
        indent += 2 + (r.len() - r.trim_start().len());
        rest = r.trim_start();
    }
    let (key, after) = if let Some(r) = rest.strip_prefix('"') {
        let end = r.find('"')?;
        (&r[..end], &r[end + 1..])
    } else if let Some(r) = rest.strip_prefix('\'') {
        let end = r.find('\'')?;
        (&r[..end], &r[end + 1..])
    } else {
        let end = rest.find(':')?;
        (&rest[..end], &rest[end..])
    };
    after
        .trim_start()
        .starts_with(':')
        .then(|| (key.trim().to_owned(), indent))
}

fn yaml_line(text: &str, tokens: &[String]) -> Option<u64> {
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;
    let mut parent: Option<usize> = None;
    let mut found: Option<usize> = None;
    let mut inline: Option<(String, usize, usize)> = None;
    'tokens: for token in tokens {
        if let Some((key, key_indent, i)) = inline.take() {
            if &key == token {
                found = Some(i);
                start = i + 1;
                parent = Some(key_indent);
                continue 'tokens;
            }
        }
        // The children of the current node: lines after it, deeper than it.
        let mut child_indent: Option<usize> = None;
        let mut item = 0usize;
        for (i, line) in lines.iter().enumerate().skip(start) {
            if is_blank(line) || line.trim() == "---" {
                continue;
            }
            let indent = indent_of(line);
            if parent.is_some_and(|p| indent <= p) {
                // A sequence may sit at its parent key's indentation.
                let item_of_parent = line.trim_start().starts_with("- ")
                    && parent == Some(indent)
                    && child_indent.is_none_or(|c| c == indent);
                if !item_of_parent {
                    break;
                }
            }
            let ci = *child_indent.get_or_insert(indent);
            if indent != ci {
                continue;
            }
            if let Ok(index) = token.parse::<usize>() {
                if line.trim_start().starts_with('-') {
                    if item == index {
                        found = Some(i);
                        start = i + 1;
                        parent = Some(indent);
                        // The item's first key sits on its `- ` line.
                        inline = key_of(line).map(|(k, key_indent)| (k, key_indent, i));
                        continue 'tokens;
                    }
                    item += 1;
                    continue;
                }
            }
            if let Some((key, key_indent)) = key_of(line) {
                if &key == token {
                    found = Some(i);
                    start = i + 1;
                    parent = Some(key_indent);
                    continue 'tokens;
                }
            }
        }
        break;
    }
    found.map(|i| i as u64 + 1)
}

fn json_line(text: &str, tokens: &[String]) -> Option<u64> {
    let mut pos = 0;
    let mut found = None;
    for token in tokens {
        if token.parse::<usize>().is_ok() {
            continue;
        }
        let needle = format!("\"{}\"", token.replace('\\', "\\\\").replace('"', "\\\""));
        match text[pos..].find(&needle) {
            Some(i) => {
                pos += i + needle.len();
                found = Some(pos);
            }
            None => break,
        }
    }
    found.map(|p| text[..p].matches('\n').count() as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /v1/invitations:\n    get:\n      parameters:\n        - name: a\n          in: query\n        - name: b\n          in: query\n      responses:\n        '200':\n          description: ok\n    post:\n      responses:\n        \"409\":\n          description: exists\n";

    #[test]
    fn finds_keys_by_indentation_and_escaped_pointer_tokens() {
        assert_eq!(
            line_of(YAML, "/paths/~1v1~1invitations/get/responses/200"),
            Some(11)
        );
        assert_eq!(
            line_of(YAML, "/paths/~1v1~1invitations/post/responses/409"),
            Some(15)
        );
        assert_eq!(
            line_of(YAML, "/paths/~1v1~1invitations/get/parameters/1"),
            Some(8)
        );
        assert_eq!(
            line_of(YAML, "/paths/~1v1~1invitations/get/parameters/1/in"),
            Some(9)
        );
    }

    #[test]
    fn falls_back_to_the_deepest_ancestor_found() {
        assert_eq!(
            line_of(YAML, "/paths/~1v1~1invitations/get/nothing"),
            Some(4)
        );
        assert_eq!(line_of(YAML, "/nowhere"), None);
    }

    #[test]
    fn finds_quoted_keys_in_json() {
        let json = "{\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  }\n}\n";
        assert_eq!(line_of(json, "/paths/~1a/get"), Some(4));
    }
}
