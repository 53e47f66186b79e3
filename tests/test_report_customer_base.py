"""The report's customer-base model: its section, its figures, and where the report uses it.

The end-to-end runs are of the CDNOW 1/10 sample (tests/data/README.md), by the command, once
each: with the observation end of Fader, Hardie & Lee (2005), whose parameters figures.json
must give, and over the whole period, whose report must no longer judge customers by a fixed
silence. The other tests build the report's data in the process.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loyalty_lessons import report
from loyalty_lessons.customer_base import customer_value, fit_bg_nbd, fit_gamma_gamma
from loyalty_lessons.customer_base_check import CHECK_RULES, model_check
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.report import model as report_model
from loyalty_lessons.report.customer_base_section import model_values
from loyalty_lessons.report.figures import key_figures

ROOT = Path(__file__).resolve().parents[1]
CDNOW = ROOT / "tests" / "data" / "cdnow_sample.csv"
NOTEBOOK = ROOT / "notebooks" / "client-report.ipynb"
#: The sentence of the fixed 180-day rule that the model replaces.
FIXED_SILENCE = re.compile(r"have not bought for more than [\d,]+ days")


def _report(out: Path, *args) -> dict:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "loyalty_lessons.cli",
            "report",
            "--transactions",
            str(CDNOW),
            "--notebook",
            str(NOTEBOOK),  # this checkout's notebook, whatever the installed one
            "--output",
            str(out),
            *args,
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return json.loads((out / "figures.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def calibration_run(tmp_path_factory) -> dict:
    """figures.json of the report as of 30 September 1997, the end of FHL's calibration period."""
    return _report(tmp_path_factory.mktemp("cdnow-1997") / "report", "--observation-end", "1997-09-30")


@pytest.fixture(scope="module")
def full_run(tmp_path_factory) -> tuple[dict, str]:
    """figures.json and report.html of the report over the whole period, to 30 June 1998."""
    out = tmp_path_factory.mktemp("cdnow") / "report"
    figures = _report(out, "--horizon-months", "12")
    return figures, (out / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cdnow_data():
    return report.report_data(str(CDNOW), None, None)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------------- the literature


def test_figures_json_reproduces_fader_hardie_lee_2005(calibration_run):
    # The model counts every customer id with a transaction, as the paper does: its 2,357
    # customers include 8 whose only purchases were of $0, whom the rest of the report leaves
    # out of its customers (ReportData.ids_without_purchase).
    model = calibration_run["customer_base_model"]
    assert {k: round(model[k], 3) for k in ("r", "alpha", "a", "b")} == {
        "r": 0.243,
        "alpha": 4.414,
        "a": 0.793,
        "b": 2.426,
    }
    assert round(model["log_likelihood"], 1) == -9582.4
    assert (model["model"], model["time_unit"], model["customers"], model["fit_end"]) == (
        "BG/NBD",
        "weeks",
        2357,
        "1997-09-30",
    )


def test_figures_json_reproduces_the_gamma_gamma_of_fader_hardie_2013(calibration_run):
    # Fitted, as in Fader & Hardie's note, on the 946 repeat buyers of the calibration period.
    spend = calibration_run["spend_model"]
    assert {k: round(spend[k], 2) for k in ("p", "q", "v")} == {"p": 6.25, "q": 3.74, "v": 15.44}
    assert (spend["model"], spend["repeat_buyers"]) == ("Gamma-Gamma", 946)


# --------------------------------------------------------------------------- the whole period


def test_figures_json_has_the_models_keys(full_run, cdnow_data):
    figures, _ = full_run
    check = figures["model_check"]
    assert set(check) == {
        "calibration_end",
        "holdout_end",
        "actual_repeat_purchases",
        "predicted_repeat_purchases",
    }
    # The holdout is the last third of 1 January 1997 to 30 June 1998.
    assert (check["calibration_end"], check["holdout_end"]) == ("1997-12-30", "1998-06-30")
    expected = model_check(
        pd.read_csv(CDNOW, parse_dates=["date"]), calibration_end="1997-12-30", holdout_end="1998-06-30"
    )
    assert check["actual_repeat_purchases"] == expected.actual_repeat_purchases == 1156
    assert check["predicted_repeat_purchases"] == pytest.approx(expected.predicted_repeat_purchases, abs=0.05)
    assert figures["customer_base_reason"] is None
    assert figures == json.loads(json.dumps(key_figures(cdnow_data)))


def test_expected_figures_are_the_librarys(full_run, cdnow_data):
    figures, _ = full_run
    # Fitted on every customer id, predicted for the report's customers (a paid purchase).
    summary, everyone = cdnow_data.summary, cdnow_data.every_id_tables.summary
    assert (len(everyone), len(summary)) == (2357, 2349)
    bg = fit_bg_nbd(everyone, time_unit="W", summary_time_unit="D")
    gg = fit_gamma_gamma(everyone)
    value = customer_value(summary, bg, gg, horizon_months=12, discount_rate_yearly=0.0)
    assert figures["expected_active_customers"] == pytest.approx(value["p_alive"].sum(), abs=0.05)
    assert figures["expected_purchases_next_period"] == pytest.approx(
        value["expected_purchases"].sum(), abs=0.05
    )
    assert figures["expected_revenue_next_period"] == pytest.approx(value["expected_value"].sum(), abs=0.5)
    # A customer without a repeat purchase is valued at the spend model's population mean.
    once = (summary["frequency"] == 0).to_numpy()
    assert value["expected_average_spend"].to_numpy()[once] == pytest.approx(gg.mean_spend)
    assert figures["expected_active_customers"] < figures["customers"]


def test_the_html_has_the_section_and_no_fixed_silence(full_run):
    _, html = full_run
    assert "<h2>Who is still a customer</h2>" in html and 'href="#customer_base"' in html
    text = _text(html)
    assert not FIXED_SILENCE.search(text)
    assert "Win back the lapsed" not in text and "likely dissatisfied" not in text
    assert "lost after one or two purchases" not in text
    assert (
        "About 637 of the 1,139 customers who have bought more than once are probably still customers" in text
    )
    assert "Call the customers at risk before they go" in text
    # The check says which way the model missed, and whose rule the limits are.
    assert "The model predicted 1,175 repeat purchases" in text and "the model was 2% high" in text
    assert (
        "good enough to act on" in text
        and "this toolkit's own rule of thumb, not a published standard" in text
    )
    assert "The probabilities do not hold up customer by customer" in text
    assert "[fader-hardie-lee-2005]" in text and "What the model assumes" in text
    section = html[html.index('id="customer_base"') : html.index('id="pareto"')]
    assert section.count('<figure class="chart">') == 1
    assert section.count("<table") == 2  # the call list and the probabilities band by band


def test_figures_json_states_the_groups_apart(full_run, cdnow_data):
    figures, _ = full_run
    summary, base = cdnow_data.summary, cdnow_data.customer_base
    once = (summary["frequency"] == 0).to_numpy()
    assert (figures["repeat_buyers"], figures["one_time_buyers"]) == (1139, 1210)
    assert figures["repeat_buyers"] + figures["one_time_buyers"] == figures["customers"]
    p_alive = base.predictions["p_alive"].to_numpy()
    assert figures["expected_active_repeat_buyers"] == pytest.approx(p_alive[~once].sum(), abs=0.05)
    # The existing key keeps its meaning: every customer, one-time buyers at 1.
    assert figures["expected_active_customers"] == pytest.approx(
        figures["expected_active_repeat_buyers"] + figures["one_time_buyers"], abs=0.1
    )
    assert figures["at_risk_band"] == [0.1, 0.5]
    assert figures["at_risk_customers"] == int(((p_alive >= 0.1) & (p_alive < 0.5)).sum()) == 354
    assert figures["probably_lost_customers"] == int((p_alive < 0.1).sum()) == 77
    one_time = figures["model_check_one_time_buyers"]
    assert (one_time["one_time_buyers"], one_time["bought_in_holdout"]) == (1318, 100)
    bands = figures["model_check_p_alive"]
    assert [(b["low"], b["high"]) for b in bands][:2] == [(0.0, 0.1), (0.1, 0.3)]
    assert sum(b["repeat_buyers"] for b in bands) == int(
        (cdnow_data.tables.calibration["frequency"] > 0).sum()
    )


# --------------------------------------------------------------------------- in the process


def test_the_check_comes_from_the_reports_own_scan(cdnow_data):
    tables = cdnow_data.tables
    assert cdnow_data.calibration_end == pd.Timestamp("1997-12-30")
    assert tables.calibration is not None and len(tables.calibration) == 2357
    check = cdnow_data.customer_base.check
    expected = model_check(
        pd.read_csv(CDNOW, parse_dates=["date"]), calibration_end="1997-12-30", holdout_end="1998-06-30"
    )
    pd.testing.assert_frame_equal(check.tracking, expected.tracking)
    pd.testing.assert_frame_equal(check.by_frequency, expected.by_frequency)
    assert check.model.params == pytest.approx(expected.model.params, rel=1e-9)


def test_the_call_list_is_the_at_risk_band_by_revenue_still_expected(cdnow_data):
    base, summary = cdnow_data.customer_base, cdnow_data.summary
    listed = base.at_risk(summary, limit=10)
    assert len(listed) == 10
    assert ((listed["p_alive"] >= 0.1) & (listed["p_alive"] < 0.5)).all()  # no one probably lost
    assert listed["expected_value"].is_monotonic_decreasing
    every = base.at_risk(summary)
    assert (
        len(every) == base.at_risk_count()
        and base.at_risk_count() + base.lost_count() == base.slipping_count()
    )
    assert listed["expected_value"].iloc[-1] >= every["expected_value"].iloc[10]
    # Ranked by what can still be kept, not by the past: the biggest past spender below 50%
    # is probably lost and leads neither the list nor the table.
    biggest = base.slipping(summary, limit=1).iloc[0]
    assert biggest["p_alive"] < 0.1 and biggest["customer_id"] not in set(listed["customer_id"])
    rows = report.customer_base_section(cdnow_data)
    assert str(biggest["customer_id"]) not in rows and "under 1%" not in rows


def test_one_count_from_summary_to_actions(cdnow_data):
    values = model_values(cdnow_data)
    at_risk, lost = values["at_risk"], values["lost"]
    assert (at_risk, lost) == ("354", "77")
    section = _text(report.customer_base_section(cdnow_data))
    actions = _text(report.actions_section(cdnow_data))
    assert f"{at_risk} customers are at risk and {lost} are probably lost" in section
    assert f"{at_risk} customers are at risk" in actions and f"The {lost} probably lost" in actions
    assert "Start with the 10 listed" in actions and "who spent most" not in actions
    summary = _text(report.summary_section(cdnow_data))
    assert (
        "Of the top 470 customers by revenue, 78 are at risk of leaving and 44 are probably lost" in summary
    )


def test_the_headline_counts_the_repeat_buyers_only(cdnow_data):
    base = cdnow_data.customer_base
    everyone = f"{base.expected_active:,.0f}"
    for text in (report.summary_section(cdnow_data), report.customer_base_section(cdnow_data)):
        text = _text(text)
        assert "about 637 are probably still customers" in text or "About 637 of the 1,139" in text
        assert f"{everyone} of the 2,357" not in text
    section = _text(report.customer_base_section(cdnow_data))
    assert "The other 1,210 customers have bought only once" in section
    assert (
        "of the 1,318 customers who had bought only once by 30 December 1997, 100 (7.6%) bought again"
        in section
    )
    summary = _text(report.summary_section(cdnow_data))
    assert "it cannot judge the 1,210 who have bought only once" in summary and "7.6% bought again" in summary


def test_the_probabilities_are_checked_band_by_band():
    """A hand-built model and four repeat buyers: the bands, the model's share and the actual one."""
    from types import SimpleNamespace

    from loyalty_lessons.bg_nbd import BetaGeoModel

    model = BetaGeoModel(
        r=1.0, alpha=10.0, a=1.0, b=4.0, standard_errors={}, log_likelihood=0.0, customers=5, repeat_buyers=4
    )
    # Days: three weeks from first to last purchase; long or short silences since.
    calibration = pd.DataFrame(
        {"frequency": [0, 1, 1, 6, 6], "recency": [0, 7, 7, 140, 14], "T": [70, 14, 350, 147, 350]}
    )
    check = SimpleNamespace(
        model=model,
        time_unit="W",
        calibration_end=pd.Timestamp("2024-06-30"),
        holdout_end=pd.Timestamp("2024-09-28"),
    )
    table = report_model.alive_check(calibration, [5, 1, 0, 0, 1], check)
    p = model.probability_alive([1, 1, 6, 6], [1, 1, 20, 2], [2, 50, 21, 50])
    assert table["customers"].sum() == 4  # the one-time buyer is left out
    for row in table.itertuples():
        inside = (p >= row.low) & ((p < row.high) | (row.high == 1.0))
        assert row.customers == inside.sum() and row.p_alive == pytest.approx(p[inside].mean())
    t, x, T = 90 / 7, np.array([1, 1, 6, 6]), np.array([2, 50, 21, 50])
    buys = p * (1 - ((10 + T) / (10 + T + t)) ** (1 + x))
    assert (buys < p).all()
    assert table["expected_share"].to_numpy() @ table["customers"].to_numpy() == pytest.approx(buys.sum())
    assert table["actual_share"].to_numpy() @ table["customers"].to_numpy() == pytest.approx(2)


def test_a_fair_verdict_carries_into_the_summary_and_the_actions(monkeypatch):
    monkeypatch.setitem(report_model.ALIVE_CHECK_RULES, "tolerance", 1.0)  # the bands always pass
    good = report.report_data(str(CDNOW), None, None)
    assert good.customer_base.check.verdict == "good" and good.customer_base.care() == ()
    monkeypatch.setitem(CHECK_RULES, "tolerance", 0.01)  # the sample's 2% now beyond ±1%
    fair = report.report_data(str(CDNOW), None, None)
    assert fair.customer_base.check.verdict == "fair" and fair.model_usable
    assert fair.customer_base.care() == ("total",)
    for section in (report.summary_section, report.actions_section):
        before, after = _text(section(good)), _text(section(fair))
        assert "with care" not in before
        assert "with care" in after and "the model's count of repeat purchases was 2% high" in after
    assert "use its figures with care" in _text(report.customer_base_section(fair))


def test_the_bands_off_the_holdout_carry_into_the_summary(cdnow_data):
    base = cdnow_data.customer_base
    assert base.check.verdict == "good" and base.care() == ("alive",)
    summary = _text(report.summary_section(cdnow_data))
    assert "Use these figures with care" in summary
    assert (
        "a probability from 0% to 10%, it expected 3% to buy again in the check period, and 27% did"
        in summary
    )


def test_the_tracking_title_gives_its_own_holdout_error(cdnow_data):
    from loyalty_lessons.report.customer_base_section import _tracking_title

    tracking = cdnow_data.customer_base.check.tracking
    before, last = tracking[~tracking["holdout"]].iloc[-1], tracking.iloc[-1]
    predicted, actual = last["predicted"] - before["predicted"], last["actual"] - before["actual"]
    title = _tracking_title(cdnow_data)
    assert f"{actual:,.0f} happened" in title and f"expected {predicted:,.0f} repeat" in title
    assert title.endswith("high" if predicted > actual else "low")


def test_a_later_holdout_start_moves_the_check(tmp_path):
    data = report.report_data(str(CDNOW), None, None, holdout_start="1998-03-01", horizon_months=6)
    assert data.calibration_end == pd.Timestamp("1998-02-28")
    assert data.customer_base.check.calibration_end == pd.Timestamp("1998-02-28")
    assert data.customer_base.predictions["expected_purchases"].sum() < (
        report.report_data(str(CDNOW), None, None).customer_base.expected_purchases
    )


@pytest.mark.parametrize(
    "value, message",
    [
        ("1996-12-31", "not inside the period"),
        ("1998-07-01", "not inside the period"),
        ("June", "is not a date"),
    ],
    ids=["before", "after", "not-a-date"],
)
def test_a_holdout_start_outside_the_period_is_refused(value, message):
    with pytest.raises(LoyaltyDataError, match=message):
        report.report_data(str(CDNOW), None, None, holdout_start=value)


@pytest.mark.parametrize("months", [0, 121, 1.5, "12", True], ids=["0", "121", "fraction", "text", "bool"])
def test_a_bad_horizon_is_refused(months):
    with pytest.raises(ValueError, match="whole number of months from 1 to 120"):
        report.report_data(horizon_months=months)


def _few_repeat_buyers() -> pd.DataFrame:
    """Twenty customers, one of whom came back: too few repeat buyers for the model."""
    rng = np.random.default_rng(3)
    dates = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, 20), unit="D")
    tx = pd.DataFrame({"customer_id": [f"c{i}" for i in range(20)], "date": dates, "amount": 10.0})
    again = pd.DataFrame({"customer_id": ["c0"], "date": [pd.Timestamp("2024-12-01")], "amount": [12.0]})
    return pd.concat([tx, again], ignore_index=True)


def test_without_a_model_the_report_says_why_and_keeps_to_the_rules(tmp_path):
    path = tmp_path / "few.csv"
    _few_repeat_buyers().to_csv(path, index=False)
    data = report.report_data(str(path), None, None)
    assert data.customer_base.reason == "not_fitted" and not data.model_usable
    figures = key_figures(data)
    for key in (
        "customer_base_model",
        "spend_model",
        "model_check",
        "expected_active_customers",
        "expected_purchases_next_period",
        "expected_revenue_next_period",
    ):
        assert figures[key] is None, key
    assert "could not be fitted" in figures["customer_base_reason"]
    assert "bought more than once" in figures["customer_base_reason"]
    section = _text(report.customer_base_section(data))
    assert "The model could not be fitted to these data" in section and "no purchase for 180 days" in section
    assert "probably still customers" not in section
    assert FIXED_SILENCE.search(_text(report.summary_section(data)))


def test_a_failed_check_keeps_the_report_to_the_rules(monkeypatch, cdnow_data):
    monkeypatch.setitem(report_model.MODEL_USE_RULES, "verdicts", ("good-only-in-this-test",))
    data = report.report_data(str(CDNOW), None, None)
    base = data.customer_base
    assert base.reason == "check_failed" and base.check.verdict == "good"
    figures = key_figures(data)
    assert figures["customer_base_model"] is not None and figures["model_check"] is not None
    assert figures["expected_active_customers"] is None
    assert "failed its check" in figures["customer_base_reason"]
    assert FIXED_SILENCE.search(_text(report.summary_section(data)))
    assert "Win back the lapsed" in _text(report.actions_section(data))
    section = report.customer_types_section(data)
    assert "<td>lapsed</td>" in section and "likely" not in section
    assert "customer-base model counts" not in _text(report.loyalty_value_section(data))


def test_with_the_model_the_types_are_named_for_the_silence_alone(cdnow_data):
    html = report.customer_types_section(cdnow_data)
    assert "long silent" in html and "likely dissatisfied" not in html
    assert "Who to call first is not everyone silent for 180 days" in html
    summary = _text(report.summary_section(cdnow_data))
    assert "are probably still customers" in summary and not FIXED_SILENCE.search(summary)
    assert "the customers the model puts at risk of leaving" in html


def test_the_repurchase_rate_stands_beside_the_models_active_customers(cdnow_data):
    section = _text(report.loyalty_value_section(cdnow_data))
    # The repeat buyers only, as in the summary: not the one-time buyers' probabilities of 1.
    active = f"{cdnow_data.customer_base.expected_active_repeat(cdnow_data.summary):,.0f}"
    assert active == "637"
    assert (
        f"the customer-base model counts about {active} of the 1,139 customers who have bought more than once"
        in section
    )
    assert section.index("repurchase rate") < section.index("customer-base model counts")
    assert "ru-loyalty-tips" not in section  # no rule of thumb turned into a conclusion


def test_without_anyone_at_risk_there_is_no_call_list(monkeypatch, cdnow_data):
    monkeypatch.setitem(report_model.MODEL_USE_RULES, "lost_below", 0.5)  # every customer below 50% is lost
    base = cdnow_data.customer_base
    assert base.at_risk_count() == 0 and base.lost_count() == base.slipping_count() == 431
    section = _text(report.customer_base_section(cdnow_data))
    assert "No customer is at risk" in section and "431 customers are probably lost" in section
    assert section.count("Expected revenue, next 12 months") == 0
    actions = _text(report.actions_section(cdnow_data))
    assert "No customer is at risk of leaving" in actions and "Call the customers at risk" not in actions
