"""Tests of the survey vocabulary: the five dimensions and the standard item map."""

from loyalty_lessons.survey import DIMENSIONS, SERVQUAL_ITEMS


def test_standard_item_map_has_22_items():
    assert (
        len(SERVQUAL_ITEMS) == 22 and SERVQUAL_ITEMS[5] == "reliability" and SERVQUAL_ITEMS[22] == "empathy"
    )


def test_every_dimension_has_items_and_every_item_a_dimension():
    assert set(SERVQUAL_ITEMS.values()) == set(DIMENSIONS)
    assert DIMENSIONS == ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
