//! Strings in known formats (`date-time`, `email`, `uuid`, ...), strings fitted to length
//! bounds, and variations of example strings for a seed.
//!
//! May import the rest of `synth` (its size limits).

use super::build::MAX_STRING;

/// `base` (varied by the seed) padded or cut to the length bounds.
pub(super) fn fit_length(base: &str, seed: u64, min: usize, max: Option<usize>) -> String {
    let suffix = if seed == 0 {
        String::new()
    } else {
        format!("-{seed}")
    };
    let limit = max.unwrap_or(usize::MAX).min(MAX_STRING.max(min));
    let suffix_len = suffix.chars().count();
    let mut s: String = if suffix_len < limit {
        let keep = (limit - suffix_len).min(base.chars().count());
        base.chars().take(keep).chain(suffix.chars()).collect()
    } else {
        let digits = seed.to_string();
        let skip = digits.len().saturating_sub(limit);
        digits[skip..].to_owned()
    };
    let len = s.chars().count();
    if len < min {
        s.extend(std::iter::repeat_n('x', min - len));
    }
    s
}

/// Variations of an example string for a seed, most natural first.
pub(super) fn string_variants(s: &str, seed: u64) -> Vec<String> {
    let mut out = Vec::new();
    if seed == 0 {
        return out;
    }
    if let Some((local, domain)) = s.split_once('@') {
        out.push(format!("{local}{seed}@{domain}"));
        out.push(format!("{local}+{seed}@{domain}"));
    }
    let bytes = s.as_bytes();
    let is_uuid = bytes.len() == 36
        && [8, 13, 18, 23].iter().all(|i| bytes[*i] == b'-')
        && s.chars()
            .filter(|c| *c != '-')
            .all(|c| c.is_ascii_hexdigit());
    if is_uuid {
        let tail = u64::from_str_radix(&s[24..], 16).unwrap_or(0);
        let tail = tail.wrapping_add(seed) & 0xffff_ffff_ffff;
        out.push(format!("{}{tail:012x}", &s[..24]));
    }
    let digits = s.bytes().rev().take_while(u8::is_ascii_digit).count();
    if (1..=18).contains(&digits) {
        let (head, tail) = s.split_at(s.len() - digits);
        if let Ok(n) = tail.parse::<u64>() {
            let n = n.saturating_add(seed % 1_000_000);
            out.push(format!("{head}{n:0digits$}"));
        }
    }
    out.push(format!("{s}-{seed}"));
    out.push(format!("{s}{seed}"));
    out
}

/// A string in `format`, varied by the seed, for the formats we know.
pub(super) fn format_string(format: &str, hint: Option<&str>, seed: u64) -> Option<String> {
    let small = seed % 1000;
    Some(match format {
        "date-time" | "google-datetime" | "datetime" => format!(
            "2024-01-{:02}T00:00:{:02}Z",
            1 + seed % 28,
            (seed / 28) % 60
        ),
        "date" => format!("2024-01-{:02}", 1 + seed % 28),
        "time" => format!("12:00:{:02}Z", seed % 60),
        "duration" => format!("P{}D", 1 + small),
        "google-duration" => format!("{}s", 1 + small),
        "email" | "idn-email" if seed == 0 => "user@example.com".to_owned(),
        "email" | "idn-email" => format!("user{seed}@example.com"),
        "uuid" => format!(
            "3fa85f64-5717-4562-b3fc-{:012x}",
            0x2c96_3f66_afa6_u64.wrapping_add(seed) & 0xffff_ffff_ffff
        ),
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" if seed == 0 => {
            "https://example.com/".to_owned()
        }
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" => {
            format!("https://example.com/{seed}")
        }
        "uri-template" => "https://example.com/{id}".to_owned(),
        "hostname" | "idn-hostname" if seed == 0 => "example.com".to_owned(),
        "hostname" | "idn-hostname" => format!("host{seed}.example.com"),
        "ipv4" => format!("192.0.2.{}", 1 + seed % 254),
        "ipv6" => format!("2001:db8::{:x}", 1 + seed % 0xfffe),
        "byte" | "base64" => base64(&fit_length(hint.unwrap_or("string"), seed, 0, None)),
        "int32" | "int64" | "uint32" | "uint64" | "fixed32" | "fixed64" | "integer" | "long" => {
            (1 + small).to_string()
        }
        "double" | "float" | "decimal" | "number" => (1 + small).to_string(),
        "json-pointer" => "/a".to_owned(),
        "relative-json-pointer" => "0".to_owned(),
        "regex" => "^a$".to_owned(),
        "google-fieldmask" => hint.unwrap_or("name").to_owned(),
        _ => return None,
    })
}

/// A string in `format` resized toward the length bounds, for formats that stretch.
pub(super) fn resize_format(
    format: &str,
    s: &str,
    min: usize,
    max: Option<usize>,
) -> Option<String> {
    let len = s.chars().count();
    match format {
        "email" | "idn-email" => {
            let domain = if max.is_some_and(|m| m < 16) {
                "b.c"
            } else {
                "example.com"
            };
            let local = min.saturating_sub(domain.len() + 1).clamp(1, 64);
            Some(format!("{}@{domain}", "a".repeat(local)))
        }
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" if len < min => {
            Some(format!("{s}{}", "x".repeat(min - len)))
        }
        _ => None,
    }
}

/// Standard base64 with padding (also what `run` sends for HTTP Basic credentials).
pub fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
