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
    assert list(explorer.result.signals["signal"]) == [
        "new customers", "early defections", "spend per order"
    ]
    assert explorer.message.startswith("Last 3 months against the 3 months before: ")


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
    assert f"Last 3 {word} against the 3 {word} before" in explorer.message


def test_window_changes_the_compared_means(explorer):
    table = explorer.result.table
    explorer.controls["window"].value = 6
    signals = explorer.result.signals.set_index("signal")
    recent = table.loc[table["complete"], "new_customers"].iloc[-6:].mean()
    assert signals.loc["new customers", "after"] == pytest.approx(recent)
    assert explorer.message.startswith("Last 6 months against the 6 months before")


def test_message_names_each_signal_with_its_verdict(explorer):
    for window in (1, 4, 12):
        explorer.controls["window"].value = window
        signals = explorer.result.signals
        for name, verdict in zip(signals["signal"], signals["verdict"]):
            part = explorer.message.split(f"{verdict}: ")[1].split(";")[0]
            assert name in part


def test_draws_four_kpi_panels_and_the_signal_bars(explorer):
    axes = explorer.figure.axes
    assert len(axes) == 5
    assert len(axes[4].patches) == 3
    assert axes[0].get_title().startswith("New customers")
