import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from loyalty_lessons.customer_types.classify import TYPE_RULES, classify_customers  # noqa: E402
from loyalty_lessons.inputs import load_inputs  # noqa: E402
from loyalty_lessons.widgets.customer_types import type_explorer  # noqa: E402

# --------------------------------------------------------------------------- the explorer


@pytest.fixture(scope="module")
def inputs():
    return load_inputs(survey=None, complaints=None)


@pytest.fixture()
def explorer(inputs):
    return type_explorer(inputs.summary, inputs.transactions, observation_end=inputs.observation_end)


def _counts(explorer) -> dict:
    return dict(zip(explorer.result["type"].astype("str"), explorer.result["customers"]))


def test_explorer_starts_on_the_default_rule(explorer, inputs):
    assert explorer.values() == {k: TYPE_RULES[k] for k in explorer.controls}
    types = classify_customers(inputs.summary, transactions=inputs.transactions)
    assert _counts(explorer) == types["type"].astype("str").value_counts().to_dict()
    assert sum(_counts(explorer).values()) == len(inputs.summary)


def test_a_stricter_loyal_rule_gives_fewer_loyal_customers(explorer):
    before = _counts(explorer)
    explorer.controls["loyal_min_orders"].value = 12
    after = _counts(explorer)
    assert after["loyal"] < before["loyal"]
    assert after["satisfied"] == before["satisfied"] + before["loyal"] - after["loyal"]
    assert after["dissatisfied"] == before["dissatisfied"]
    loyal = explorer.result.set_index(explorer.result["type"].astype("str")).loc["loyal"]
    assert explorer.message.startswith(
        f"{after['loyal']:,} regular customers "
        f"({loyal['share_of_customers']:.0%}) bring "
        f"{loyal['revenue_share']:.0%} of revenue"
    )


def test_less_patience_gives_more_dissatisfied_customers(explorer, inputs):
    explorer.controls["lapsed_after_days"].value = 90
    expected = int((inputs.summary["days_since_last"] > 90).sum())
    assert _counts(explorer)["dissatisfied"] == expected
    assert f"{expected:,} customers" in explorer.message
    assert f"{expected:,} customers" in explorer.caption.value


def test_a_longer_recency_allowance_gives_more_loyal_customers(explorer):
    before = _counts(explorer)["loyal"]
    explorer.controls["loyal_max_days_since_last"].value = 150
    assert _counts(explorer)["loyal"] > before


def test_the_chart_follows_the_controls(explorer):
    explorer.controls["loyal_min_orders"].value = 3
    ax = explorer.figure.axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert np.allclose(heights[:3], explorer.result["share_of_customers"] * 100)
    assert np.allclose(heights[3:], explorer.result["revenue_share"] * 100)
    # typed from purchases alone: named for the behaviour
    assert ax.get_title().startswith("Regular customers are")


def test_every_slider_label_fits_its_width(explorer):
    """A label longer than its width is cut in JupyterLab ("Lapsed: no purchase for > d…");
    about 7.5 px a character at its font."""
    for name, control in explorer.controls.items():
        width = int(control.style.description_width.removesuffix("px"))
        assert len(control.description) * 7.5 <= width, (name, control.description)
