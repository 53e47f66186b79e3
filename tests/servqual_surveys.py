"""The hand-built surveys of the quality-gap tests (tests/test_quality_gap_*.py): six
respondents whose gaps are worked out by hand below, and random surveys for property tests."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

from loyalty_lessons.survey import DIMENSIONS

# Six respondents, six items: 1 tangibles, 5 and 6 reliability, 10 responsiveness,
# 14 assurance, 18 empathy. Gaps (perception - expectation) per respondent r1..r6:
ITEMS = {
    1: "tangibles",
    5: "reliability",
    6: "reliability",
    10: "responsiveness",
    14: "assurance",
    18: "empathy",
}
GAPS = {
    1: [1, 0, 1, 0, 1, 0],  # tangibles: mean 0.5, nobody unmet
    5: [-2, -2, -1, -2, -1, 1],  # reliability, respondent means [-2, -1, -1, -2, -1, 1]:
    6: [-2, 0, -1, -2, -1, 1],  #   mean -1, 5 of 6 unmet
    10: [-1, -1, 0, -1, -1, -2],  # responsiveness: mean -1, 5 of 6 unmet
    14: [0, 0, 0, 0, 0, 0],  # assurance: mean 0, sd 0
    18: [1, -1, 1, -1, 0, 0],  # empathy: mean 0, 2 of 6 unmet
}
# Overall respondent gap = mean over the six items:
# r1 (1-2-2-1+0+1)/6 = -0.5, r2 -4/6, r3 0, r4 -1, r5 -2/6, r6 0.
RESPONDENT_GAP = [-0.5, -4 / 6, 0.0, -1.0, -2 / 6, 0.0]
# Importance points: r1-r3 give (10, 30, 20, 20, 20), r4-r6 give (10, 40, 30, 10, 10).
IMPORTANCE = [(10, 30, 20, 20, 20)] * 3 + [(10, 40, 30, 10, 10)] * 3
RECOMMEND = [10, 9, 9, 7, 3, 6]
SATISFACTION = [9, 8, 8, 7, 4, 6]


def make_survey() -> pd.DataFrame:
    rows = []
    for r in range(6):
        expectation = 5.0 if r == 5 else 6.0  # r6 expects less everywhere
        for item, dim in ITEMS.items():
            rows.append(
                {
                    "respondent_id": f"r{r + 1}",
                    "customer_id": f"c{r + 1}",
                    "item": item,
                    "dimension": dim,
                    "expectation": expectation,
                    "perception": expectation + GAPS[item][r],
                    "importance": float(IMPORTANCE[r][DIMENSIONS.index(dim)]),
                    "satisfaction": float(SATISFACTION[r]),
                    "recommend": float(RECOMMEND[r]),
                }
            )
    return pd.DataFrame(rows)


@st.composite
def random_surveys(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    scores = draw(st.lists(st.integers(min_value=1, max_value=7), min_size=n * 10, max_size=n * 10))
    rows = []
    for r in range(n):
        for k, (item, dim) in enumerate(zip([1, 5, 10, 14, 18], DIMENSIONS)):
            e, p = scores[r * 10 + 2 * k], scores[r * 10 + 2 * k + 1]
            rows.append(
                {
                    "respondent_id": f"r{r}",
                    "item": item,
                    "dimension": dim,
                    "expectation": float(e),
                    "perception": float(p),
                }
            )
    return pd.DataFrame(rows)
