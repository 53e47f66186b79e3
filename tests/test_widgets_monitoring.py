import pytest

from loyalty_lessons import load_inputs
from loyalty_lessons.widgets.monitoring import MonitoringView, monitoring_explorer


@pytest.fixture(scope="module")
def explorer():
    inputs = load_inputs(survey=None, complaints=None)
    return monitoring_explorer(inputs.transactions)


@pytest.fixture(autouse=True)
def _reset(explorer):
    explorer.controls["period"].value = "M"
    explorer.controls["window"].value = 3


def test_starts_monthly_with_a_window_of_three(explorer):
    assert isinstance(explorer.result, MonitoringView)
    assert explorer.result.table.attrs["period"] == "M"
    signals = explorer.result.signals
    assert list(signals["signal"]) == ["new_customers", "early_defection", "spend_per_order"]
    assert explorer.message.startswith("New customers per month went from ")
    assert all(len(periods) == 3 for periods in signals["after_periods"])


@pytest.mark.parametrize(
    "code, word, periods",
    [("W", "weeks", 150), ("Q", "quarters", 12)],
    ids=["weeks", "quarters"],
)
def test_period_changes_table_and_sentence(explorer, code, word, periods):
    monthly_rows = len(explorer.result.table)
    explorer.controls["period"].value = code
    table = explorer.result.table
    assert table.attrs["period"] == code
    assert (len(table) > monthly_rows) == (code == "W")
    assert len(table) >= periods
    assert f"New customers per {word[:-1]} " in explorer.message
    assert all(len(periods) == 3 for periods in explorer.result.signals["after_periods"])


def test_window_changes_the_compared_means(explorer):
    table = explorer.result.table
    explorer.controls["window"].value = 6
    signals = explorer.result.signals.set_index("signal")
    recent = table.loc[table["complete"], "new_customers"].iloc[-6:].mean()
    assert signals.loc["new_customers", "after"] == pytest.approx(recent)
    assert len(signals.loc["new_customers", "after_periods"]) == 6


def test_message_names_each_signal_with_its_verdict(explorer):
    for window in (1, 4, 12):
        explorer.controls["window"].value = window
        signals = explorer.result.signals
        for message, verdict in zip(signals["message"], signals["verdict"]):
            assert message in explorer.message
            assert verdict.replace("within noise", "within normal variation") in message


def test_draws_four_kpi_panels_and_the_signal_bars(explorer):
    axes = explorer.figure.axes
    assert len(axes) == 5
    assert len(axes[4].patches) == 3
    judged = explorer.result.signals["verdict"] != "not applicable"
    bands = [len(line.get_xdata()) for line in axes[4].lines[1:]]  # after the zero line
    assert bands == [2 if j else 0 for j in judged]
    assert axes[0].get_title().startswith("New customers")
