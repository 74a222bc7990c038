"""The fault spec grammar: what parses, and the messages for what does not."""

from __future__ import annotations

import pytest

from confluence_sync.localwiki.testing.faults import FaultPlan, parse_fault_spec


def test_full_spec_parses() -> None:
    rule = parse_fault_spec("429:retry-after=2:path=/rest/api/content*:method=post:count=3")
    assert (rule.kind, rule.retry_after, rule.paths, rule.methods, rule.count) == (
        "429",
        2,
        ("/rest/api/content*",),
        ("POST",),
        3,
    )


def test_defaults_per_kind() -> None:
    assert parse_fault_spec("429").retry_after == 1
    assert parse_fault_spec("503").retry_after is None
    conflict = parse_fault_spec("409")
    assert (conflict.methods, conflict.count) == (("PUT",), 1)
    assert parse_fault_spec("503:retry-after=none").retry_after is None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("418", "unknown kind '418'"),
        ("429:retry=2", "unknown option 'retry'"),
        ("429:count", "is not name=value"),
        ("429:count=0", "count must be ≥ 1"),
        ("429:count=x", "is not a whole number"),
        ("503:p=1.5", "p must be between 0 and 1"),
        ("503:p=often", "is not a number"),
        ("delay", "delay needs ms="),
        ("503:path=rest/*", "must start with / or *"),
        ("429:retry-format=iso", "retry-format must be seconds or date"),
    ],
)
def test_bad_specs_say_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match="fault spec") as caught:
        parse_fault_spec(spec)
    assert message in str(caught.value)


def test_plan_tries_rules_in_order_and_counts() -> None:
    plan = FaultPlan.from_specs(["503:path=/a*:count=1", "429"])
    assert plan.pick("GET", "/a/1") is plan.rules()[0]
    assert plan.pick("GET", "/a/1") is plan.rules()[1]
    plan.clear()
    assert plan.pick("GET", "/a/1") is None


def test_cloud_rate_limit_options() -> None:
    rule = parse_fault_spec("429:retry-after=90:reset=90:near-limit")
    assert (rule.retry_after, rule.reset_in, rule.near_limit) == (90, 90, True)
    assert parse_fault_spec("near-limit").near_limit
    with pytest.raises(ValueError, match="near-limit takes no value"):
        parse_fault_spec("429:near-limit=soon")
    with pytest.raises(ValueError, match="whole number"):
        parse_fault_spec("429:reset=later")
