//! Strings for the simple regular expressions API specs use: a small parser (`None` for
//! lookaround, backreferences, Unicode properties) and an emitter that meets length bounds
//! and varies choices by the seed.
//!
//! May import the rest of `synth` (its size limits).

use std::collections::HashMap;

use super::build::MAX_MIN_LENGTH;

/// One piece of a parsed regular expression.
pub(super) enum Re {
    Lit(char),
    /// A character class, its members in order of preference (never empty).
    Set(Vec<char>),
    /// A group: alternatives, each a sequence.
    Alt(Vec<Vec<Re>>),
    Rep {
        inner: Box<Re>,
        min: u32,
        max: Option<u32>,
        id: usize,
    },
    /// An anchor or a word boundary: matches no characters.
    Empty,
}

/// Printable ASCII, letters and digits first: the characters classes pick from.
pub(super) fn universe() -> Vec<char> {
    let mut out: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    out.extend(('!'..='~').filter(|c| !c.is_ascii_alphanumeric()));
    out.push(' ');
    out
}

pub(super) fn universe_except(excluded: impl Fn(char) -> bool) -> Vec<char> {
    universe().into_iter().filter(|c| !excluded(*c)).collect()
}

/// A parser for the simple regular expressions API specs use; `None` for anything else
/// (lookaround, backreferences, Unicode properties).
pub(super) struct ReParser {
    chars: Vec<char>,
    pos: usize,
    reps: usize,
    depth: usize,
}

impl ReParser {
    pub(super) fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    pub(super) fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    pub(super) fn alternatives(&mut self) -> Option<Vec<Vec<Re>>> {
        self.depth += 1;
        if self.depth > 64 {
            return None;
        }
        let mut alts = vec![self.sequence()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            alts.push(self.sequence()?);
        }
        self.depth -= 1;
        Some(alts)
    }

    pub(super) fn sequence(&mut self) -> Option<Vec<Re>> {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            out.push(self.quantified(atom)?);
        }
        Some(out)
    }

    pub(super) fn atom(&mut self) -> Option<Re> {
        Some(match self.next()? {
            '^' | '$' => Re::Empty,
            '.' => Re::Set(universe_except(|c| c == '\n' || c == '\r')),
            '(' => {
                if self.peek() == Some('?') {
                    self.pos += 1;
                    if self.peek() == Some('P') {
                        self.pos += 1;
                    }
                    match self.next()? {
                        ':' => {}
                        '<' if !matches!(self.peek(), Some('=' | '!')) => {
                            while self.next()? != '>' {}
                        }
                        _ => return None,
                    }
                }
                let alts = self.alternatives()?;
                if self.next()? != ')' {
                    return None;
                }
                Re::Alt(alts)
            }
            '[' => self.class()?,
            '\\' => self.escape()?,
            '*' | '+' | '?' | ')' => return None,
            c => Re::Lit(c),
        })
    }

    pub(super) fn quantified(&mut self, atom: Re) -> Option<Re> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => match self.braces() {
                Some(q) => q,
                None => return Some(atom),
            },
            _ => return Some(atom),
        };
        self.pos += 1;
        if matches!(self.peek(), Some('?' | '+')) {
            self.pos += 1;
        }
        if max.is_some_and(|m| m < min) || min > MAX_MIN_LENGTH as u32 {
            return None;
        }
        self.reps += 1;
        Some(Re::Rep {
            inner: Box::new(atom),
            min,
            max,
            id: self.reps,
        })
    }

    /// Reads `{n}`, `{n,}` or `{n,m}` up to (not past) the closing brace; leaves the position
    /// alone when it is not a quantifier (ECMAScript then reads `{` as a character).
    pub(super) fn braces(&mut self) -> Option<(u32, Option<u32>)> {
        let start = self.pos;
        self.pos += 1;
        let parsed = (|| {
            let min = self.digits()?;
            let max = if self.peek() == Some(',') {
                self.pos += 1;
                if self.peek() == Some('}') {
                    None
                } else {
                    Some(self.digits()?)
                }
            } else {
                Some(min)
            };
            (self.peek() == Some('}')).then_some((min, max))
        })();
        if parsed.is_none() {
            self.pos = start;
        }
        parsed
    }

    pub(super) fn digits(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        text.parse().ok()
    }

    pub(super) fn hex(&mut self, n: usize) -> Option<char> {
        if self.peek() == Some('{') {
            self.pos += 1;
            let mut text = String::new();
            while let Some(c) = self.next() {
                if c == '}' {
                    return char::from_u32(u32::from_str_radix(&text, 16).ok()?);
                }
                text.push(c);
            }
            return None;
        }
        let text: String = (0..n).map(|_| self.next()).collect::<Option<String>>()?;
        char::from_u32(u32::from_str_radix(&text, 16).ok()?)
    }

    pub(super) fn escape(&mut self) -> Option<Re> {
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        Some(match self.next()? {
            'd' => Re::Set(('0'..='9').collect()),
            'D' => Re::Set(universe_except(|c| c.is_ascii_digit())),
            'w' => Re::Set(universe().into_iter().filter(|c| word(*c)).collect()),
            'W' => Re::Set(universe_except(word)),
            's' => Re::Set(vec![' ', '\t', '\n']),
            'S' => Re::Set(universe_except(|c| c == ' ')),
            'b' | 'B' => Re::Empty,
            '1'..='9' | 'p' | 'P' | 'k' | 'c' => return None,
            c => Re::Lit(self.simple_escape(c)?),
        })
    }

    /// The character an escape that stands for one character means.
    pub(super) fn simple_escape(&mut self, c: char) -> Option<char> {
        Some(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'f' => '\x0c',
            'v' => '\x0b',
            '0' => '\0',
            'u' => self.hex(4)?,
            'x' => self.hex(2)?,
            c => c,
        })
    }

    pub(super) fn class(&mut self) -> Option<Re> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut ranges: Vec<(char, char)> = Vec::new();
        loop {
            let c = self.next()?;
            if c == ']' {
                break;
            }
            let lo = if c == '\\' {
                match self.next()? {
                    'd' => {
                        ranges.push(('0', '9'));
                        continue;
                    }
                    'w' => {
                        ranges.extend([('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]);
                        continue;
                    }
                    's' => {
                        ranges.extend([(' ', ' '), ('\t', '\r')]);
                        continue;
                    }
                    'D' | 'W' | 'S' | 'p' | 'P' => return None,
                    'b' => '\x08',
                    e => self.simple_escape(e)?,
                }
            } else {
                c
            };
            let is_range =
                self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|n| *n != ']');
            if !is_range {
                ranges.push((lo, lo));
                continue;
            }
            self.pos += 1;
            let hi = match self.next()? {
                '\\' => {
                    let e = self.next()?;
                    if matches!(e, 'd' | 'w' | 's' | 'D' | 'W' | 'S') {
                        return None;
                    }
                    self.simple_escape(e)?
                }
                h => h,
            };
            if hi < lo {
                return None;
            }
            ranges.push((lo, hi));
        }
        let inside = |c: char| ranges.iter().any(|(l, h)| *l <= c && c <= *h);
        let mut set: Vec<char> = universe()
            .into_iter()
            .filter(|c| inside(*c) != negated)
            .collect();
        if set.is_empty() && !negated {
            for (l, _) in &ranges {
                if !set.contains(l) {
                    set.push(*l);
                }
            }
        }
        if set.is_empty() {
            return None;
        }
        Some(Re::Set(set))
    }
}

/// How many choice points a regex piece has: alternatives with more vary better.
pub(super) fn variability(re: &Re) -> u64 {
    match re {
        Re::Set(s) if s.len() > 1 => 1,
        Re::Alt(alts) => alts
            .iter()
            .map(|seq| seq.iter().map(variability).sum::<u64>())
            .max()
            .unwrap_or(0),
        Re::Rep { inner, min, .. } => variability(inner) * u64::from((*min).max(1)),
        _ => 0,
    }
}

/// Emits one string for a parsed regex, remembering where the choices were.
pub(super) struct Emitter<'r> {
    out: Vec<char>,
    slots: Vec<(usize, &'r [char])>,
    /// (repetition id, count, max, characters per iteration) for each repetition emitted.
    reps: Vec<(usize, u32, Option<u32>, usize)>,
    extra: &'r HashMap<usize, u32>,
    lean: bool,
    vary: bool,
}

impl<'r> Emitter<'r> {
    pub(super) fn emit(&mut self, re: &'r Re) -> Option<()> {
        if self.out.len() > MAX_MIN_LENGTH {
            return None;
        }
        match re {
            Re::Lit(c) => self.out.push(*c),
            Re::Set(set) => {
                self.slots.push((self.out.len(), set));
                self.out.push(set[0]);
            }
            Re::Alt(alts) => {
                let mut pick = 0;
                if self.vary {
                    let mut best = 0;
                    for (i, seq) in alts.iter().enumerate() {
                        let v = seq.iter().map(variability).sum::<u64>();
                        if v > best {
                            best = v;
                            pick = i;
                        }
                    }
                }
                for piece in &alts[pick] {
                    self.emit(piece)?;
                }
            }
            Re::Rep {
                inner,
                min,
                max,
                id,
            } => {
                let base = if self.lean || *min > 0 || max.is_some() {
                    *min
                } else {
                    1
                };
                let mut n = base.saturating_add(self.extra.get(id).copied().unwrap_or(0));
                if let Some(m) = max {
                    n = n.min(*m);
                }
                let start = self.out.len();
                for _ in 0..n {
                    self.emit(inner)?;
                }
                let per = if n == 0 {
                    1
                } else {
                    (self.out.len() - start) / n as usize
                };
                self.reps.push((*id, n, *max, per));
            }
            Re::Empty => {}
        }
        Some(())
    }

    /// The text, with choices varied by the seed: a mixed-radix count from the last choice.
    pub(super) fn finish(mut self, seed: u64) -> String {
        let mut s = seed;
        for (pos, set) in self.slots.iter().rev() {
            if s == 0 {
                break;
            }
            let n = set.len() as u64;
            if n < 2 {
                continue;
            }
            self.out[*pos] = set[(s % n) as usize];
            s /= n;
        }
        self.out.into_iter().collect()
    }
}

/// A string that matches `pattern` within the length bounds, or `None` when the pattern is
/// beyond our small generator (the caller then tries other strings and checks them).
pub(super) fn regex_string(
    pattern: &str,
    min: usize,
    max: Option<usize>,
    seed: u64,
) -> Option<String> {
    let mut parser = ReParser {
        chars: pattern.chars().collect(),
        pos: 0,
        reps: 0,
        depth: 0,
    };
    let alts = parser.alternatives()?;
    if parser.pos != parser.chars.len() {
        return None;
    }
    let root = Re::Alt(alts);
    let mut extra: HashMap<usize, u32> = HashMap::new();
    let mut lean = false;
    for _ in 0..16 {
        let snapshot = extra.clone();
        let mut e = Emitter {
            out: Vec::new(),
            slots: Vec::new(),
            reps: Vec::new(),
            extra: &snapshot,
            lean,
            vary: seed > 0,
        };
        e.emit(&root)?;
        let len = e.out.len();
        if len < min {
            let growable = e
                .reps
                .iter()
                .rev()
                .find(|(_, n, max, per)| *per > 0 && max.is_none_or(|m| *n < m))
                .copied();
            let Some((id, n, max, per)) = growable else {
                return Some(e.finish(seed));
            };
            let need = (min - len).div_ceil(per) as u32;
            let room = max.map_or(need, |m| (m - n).min(need));
            *extra.entry(id).or_insert(0) += room;
            continue;
        }
        if max.is_some_and(|m| len > m) && !lean {
            lean = true;
            extra.clear();
            continue;
        }
        return Some(e.finish(seed));
    }
    None
}
