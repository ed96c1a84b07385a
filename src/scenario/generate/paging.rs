//! The paging scenario of a list that pages in a style the spec shows (see
//! [`crate::spec::lists`]): create one item more than a page holds (parents first, by the
//! chain), ask for the first page with a page size, then the next page with the token, offset
//! or cursor the first answer gives; cleanup deletes what was created. A list whose next cursor
//! is in a `Link` header gets none: a step cannot take a query parameter out of a URL.
//!
//! May import `spec` and the rest of `scenario`.

use super::chain::{Chain, Prepared};
use super::GenerateOptions;
use super::{delete_step, expect_success, param_text, scenario, scenario_seed, valid_step};
use crate::scenario::model::{CaptureFrom, Outcome, Scenario, Step};
use crate::spec::lists::{self, Items, NextFrom, Pagination, Style};
use crate::spec::{Api, Graph, IdSource};

/// The page size the walk asks for; one item more than that is created.
const PAGE_SIZE: usize = 2;

/// The variable the first page's next token or cursor is captured as.
const NEXT: &str = "next_page";

/// `{list}::pagination::pages` for resource `index`, when its list pages in a style we can
/// follow and it can be created and deleted.
pub(super) fn pages(
    api: &Api,
    graph: &Graph,
    index: usize,
    options: &GenerateOptions,
) -> Option<Scenario> {
    let resource = &graph.resources[index];
    let list = api.operation(resource.list.as_deref()?)?;
    let paging = lists::pagination(api, list)?;
    resource.delete.as_deref().and_then(|d| api.operation(d))?;
    if matches!(resource.id, IdSource::Unknown(_)) {
        return None;
    }
    let (follow, capture) = follow(&paging)?;
    let outcome = Outcome::Pagination;
    let seed = scenario_seed(options, &format!("{}::pagination", list.id));
    let Prepared {
        setup: mut steps,
        call,
        mut cleanup,
        values,
    } = match Chain::new(api, graph, options, seed).prepare(list, None) {
        Ok(p) => p,
        Err(why) => {
            let mut s = scenario(list, outcome, "pages", Vec::new(), Vec::new(), Some(why));
            s.tags.mutates = true;
            return Some(s);
        }
    };
    let parents: Vec<String> = graph
        .needs(list)
        .iter()
        .filter_map(|(name, _)| values.get(name).cloned())
        .collect();
    let (creates, deletes) = creates(api, graph, index, &parents, options, seed)?;
    steps.extend(creates);
    for d in deletes {
        cleanup.insert(0, d);
    }
    let mut first = call;
    first.expect = expect_success(list);
    first
        .params
        .insert(paging.size.clone(), PAGE_SIZE.to_string());
    let mut second = first.clone();
    match capture {
        Some(pointer) => {
            first
                .captures
                .push((NEXT.to_owned(), CaptureFrom::Body(pointer)));
            second.params.insert(follow, format!("${{{NEXT}}}"));
        }
        None => {
            second.params.insert(follow, PAGE_SIZE.to_string());
        }
    }
    steps.push(first);
    steps.push(second);
    let mut s = scenario(list, outcome, "pages", steps, cleanup, None);
    s.tags.mutates = true;
    Some(s)
}

/// How the second page is asked for: the parameter, and the pointer its value is captured
/// from in the first answer (`None`: it is the offset [`PAGE_SIZE`]). `None` for a cursor in
/// a `Link` header.
fn follow(paging: &Pagination) -> Option<(String, Option<String>)> {
    Some(match &paging.style {
        Style::Token { token, next } => (token.clone(), Some(next.clone())),
        Style::Offset { offset } => (offset.clone(), None),
        Style::Cursor {
            cursor,
            next: NextFrom::Body(next),
        } => (cursor.clone(), Some(next.clone())),
        Style::Cursor {
            cursor,
            next: NextFrom::LastItem { field, .. },
        } => {
            let at = match &paging.items {
                Items::Body => String::new(),
                Items::Field(name) => format!("/{name}"),
            };
            (
                cursor.clone(),
                Some(format!("{at}/{}/{field}", PAGE_SIZE - 1)),
            )
        }
        Style::Cursor {
            next: NextFrom::LinkHeader,
            ..
        } => return None,
    })
}

/// The [`PAGE_SIZE`] + 1 creates of resource `index` under `parents`, and the deletes that
/// remove them; `None` when their ids cannot be told apart.
fn creates(
    api: &Api,
    graph: &Graph,
    index: usize,
    parents: &[String],
    options: &GenerateOptions,
    seed: u64,
) -> Option<(Vec<Step>, Vec<Step>)> {
    let resource = &graph.resources[index];
    let create = api.operation(&resource.create)?;
    let delete = api.operation(resource.delete.as_deref()?)?;
    let mut made = Vec::new();
    let mut deletes = Vec::new();
    let names: Vec<String> = graph
        .needs(create)
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| !(resource.id == IdSource::Chosen && *name == resource.param))
        .collect();
    let mut ids: Vec<String> = Vec::new();
    for n in 1..=PAGE_SIZE + 1 {
        let item_seed = seed.wrapping_add(n as u64 * 7919);
        let mut step = valid_step(api, create, options, item_seed);
        step.setup = true;
        step.expect = expect_success(create);
        for (name, value) in names.iter().zip(parents) {
            step.params.insert(name.clone(), value.clone());
        }
        let id = match &resource.id {
            IdSource::Response(pointer) => {
                let var = format!("paged_{n}");
                step.captures
                    .push((var.clone(), CaptureFrom::Body(pointer.clone())));
                format!("${{{var}}}")
            }
            IdSource::Chosen => {
                let chain = Chain::new(api, graph, options, item_seed);
                let value = chain.chosen_value(create, &resource.param);
                step.params.insert(resource.param.clone(), value.clone());
                value
            }
            IdSource::Request(field) => step.body.as_ref()?.get(field).map(param_text)?,
            IdSource::Unknown(_) => return None,
        };
        if ids.contains(&id) {
            return None;
        }
        ids.push(id.clone());
        let mut item = parents.to_vec();
        item.push(id);
        deletes.push(delete_step(api, graph, delete, &item, options, seed));
        made.push(step);
    }
    Some((made, deletes))
}
