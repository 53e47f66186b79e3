"""Who a workshop page is for: the facilitator's key in the address, or a participant."""

import pytest

from loyalty_lessons.workshop import roles
from loyalty_lessons.workshop.roles import FACILITATOR, PARTICIPANT, page_link, role_from_query


@pytest.mark.parametrize(
    ("query", "key", "role"),
    [
        ("", "", FACILITATOR),
        ("token=abc", "", FACILITATOR),
        ("token=abc", "k3y", PARTICIPANT),
        ("token=abc&facilitator=wrong", "k3y", PARTICIPANT),
        ("facilitator=", "k3y", PARTICIPANT),
        ("token=abc&facilitator=k3y", "k3y", FACILITATOR),
    ],
    ids=["alone", "alone-with-token", "shared", "wrong-key", "empty-key", "right-key"],
)
def test_the_role_comes_from_the_key_in_the_address(query, key, role):
    assert role_from_query(query, key=key) == role


def test_the_key_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv(roles.FACILITATOR_ENV, "s3cret")
    assert role_from_query("facilitator=s3cret") == FACILITATOR
    assert role_from_query("") == PARTICIPANT
    assert page_link("scorecard.ipynb", FACILITATOR) == "scorecard.ipynb?facilitator=s3cret"
    assert page_link("scorecard.ipynb", PARTICIPANT) == "scorecard.ipynb"


def test_outside_a_pooled_kernel_the_request_is_in_the_environment(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "token=t&facilitator=k")
    assert roles.page_request() == "token=t&facilitator=k"


def test_a_link_keeps_the_key_and_the_language():
    assert (
        page_link("index.ipynb", FACILITATOR, key="k", language="fr") == "index.ipynb?facilitator=k&lang=fr"
    )
    assert page_link("index.ipynb", PARTICIPANT, key="k", language="ru") == "index.ipynb?lang=ru"
    assert page_link("index.ipynb", PARTICIPANT, key="k") == "index.ipynb"
