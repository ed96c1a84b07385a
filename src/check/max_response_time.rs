//! `max_response_time`: the response arrived within the budget (off without one).

use super::{CheckCtx, Failure};
use crate::run::Exchange;

const NAME: &str = "max_response_time";

/// Fails an exchange that took longer than `ctx.max_response_time`.
pub fn check(ctx: &CheckCtx<'_>, exchange: &Exchange) -> Result<(), Failure> {
    let Some(budget) = ctx.max_response_time else {
        return Ok(());
    };
    if exchange.elapsed <= budget {
        return Ok(());
    }
    Err(Failure::new(
        NAME,
        "response took too long",
        ctx.operation.location.clone(),
        format!("at most {} ms", budget.as_millis()),
        format!("{} ms", exchange.elapsed.as_millis()),
    ))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::check::table::testkit::{case, exchange, invitation};

    #[test]
    fn rejects_a_response_over_budget() {
        let mut case = case("classroom.invitations.get");
        case.max_response_time = Some(Duration::from_millis(100));
        let mut ex = exchange(200, invitation());
        ex.elapsed = Duration::from_millis(250);
        let f = case.fails(check, NAME, &ex);
        assert_eq!(
            (f.expected.as_str(), f.actual.as_str()),
            ("at most 100 ms", "250 ms")
        );
        ex.elapsed = Duration::from_millis(100);
        assert_eq!(case.run(check, &ex), Ok(()));
    }

    #[test]
    fn passes_anything_without_a_budget() {
        let case = case("classroom.invitations.get");
        let mut ex = exchange(200, invitation());
        ex.elapsed = Duration::from_secs(60);
        assert_eq!(case.run(check, &ex), Ok(()));
    }
}
