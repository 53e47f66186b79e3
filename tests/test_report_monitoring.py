"""The report's monitoring section: signals that cannot be judged say why, and each sentence
names the months compared and the band of normal variation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loyalty_lessons import report
from loyalty_lessons.customers import customer_summary
from loyalty_lessons.data import load_transactions
from loyalty_lessons.inputs import Inputs
from loyalty_lessons.report.monitoring_section import closed_months


@pytest.fixture(scope="module")
def sample_data():
    return report.report_data()


def _cdnow_data(late_firsts: tuple[str, ...] = (), language: str = "en") -> report.ReportData:
    """The CDNOW sample, with customers whose first purchase is on ``late_firsts`` added."""
    tx = pd.read_csv(Path(__file__).parent / "data" / "cdnow_sample.csv", parse_dates=["date"])
    late = pd.DataFrame(
        {
            "customer_id": [f"late-{i}" for i in range(len(late_firsts))],
            "date": pd.to_datetime(list(late_firsts)),
            "amount": 20.0,
        }
    )
    tx = pd.concat([tx, late], ignore_index=True) if late_firsts else tx
    tx = tx.astype({"customer_id": "str", "date": "datetime64[us]"})
    tx_report = load_transactions(tx)[1]
    inputs = Inputs(tx, None, None, customer_summary(tx), {"transactions": tx_report}, tx["date"].max())
    return report.ReportData(inputs, language=language)


@pytest.mark.parametrize(
    ("language", "months"),
    [
        ("en", "from Apr 1997 to Jun 1997"),
        ("fr", "de avr. 1997 à juin 1997"),
        ("it", "da apr 1997 a giu 1997"),
        ("ru", "в период апрель 1997 – июнь 1997 новых клиентов не было"),
    ],
)
def test_a_closed_group_with_a_late_newcomer_says_which_months_had_no_new_customer(language, months):
    # As in the whole CDNOW log: everybody arrived in the first quarter, but for two customers
    # whose first paid purchase came in November 1997; the months of the early-defection
    # windows then had no newcomer at all.
    data = _cdnow_data(("1997-11-14", "1997-11-20"), language)
    early = data.signals.set_index("metric").loc["early_defection_rate"]
    assert (early["verdict"], early["reason_code"]) == ("not applicable", "no_new_customers")
    assert (early["reason_values"]["first"], early["reason_values"]["last"]) == ("1997-04", "1997-06")
    html = report.monitoring_section(data)
    assert months in html


def test_the_lessons_signal_sentences_say_the_months_without_new_customers_in_each_language():
    from loyalty_lessons.signal_texts import signal_sentences

    signals = _cdnow_data(("1997-11-14", "1997-11-20")).signals
    for language, months in [
        ("en", "no customer was acquired from 1997-04 to 1997-06"),
        ("fr", "aucun client n’a été recruté de 1997-04 à 1997-06"),
        ("it", "nessun cliente è stato acquisito da 1997-04 a 1997-06"),
        ("ru", "с 1997-04 по 1997-06 не привлечено ни одного клиента"),
    ]:
        assert any(months in sentence for sentence in signal_sentences(signals, language)), language


def test_cdnow_signals_say_why_they_do_not_apply():
    data = _cdnow_data()
    signals = {s["signal"]: s for s in report.key_figures(data)["loyalty_signals"]}
    assert list(signals) == ["new_customers", "early_defection", "spend_per_order"]
    new = signals["new_customers"]
    assert (new["verdict"], new["reason_code"]) == ("not applicable", "closed_group")
    assert new["reason"] == (
        "no customer was acquired after 1997-03: this data is one closed group of customers"
    )
    assert new["months_compared"] == {
        "before": ["1998-01", "1998-02", "1998-03"],
        "after": ["1998-04", "1998-05", "1998-06"],
    }
    assert new["before"] is None and new["band"] is None
    assert signals["early_defection"]["verdict"] == "not applicable"
    assert signals["spend_per_order"]["verdict"] in ("improving", "worsening", "within noise")
    html = report.monitoring_section(data)
    assert (
        "New customers per month: <strong>not applicable</strong>: the last first purchase was made in "
        "Mar 1997 (new customers that month: 718), none since: this data is one closed group of customers."
    ) in html
    assert "steady" not in html and "(0%)" not in html


def test_a_closed_group_states_the_early_defection_level_it_cannot_compare():
    data = _cdnow_data()
    early = data.signals.set_index("metric").loc["early_defection_rate"]
    assert early["level_periods"] == ["1997-01", "1997-02", "1997-03"]
    assert early["level"] == pytest.approx(1587 / 2349)
    html = str(report.monitoring_section(data))
    assert (
        "Its level can still be stated: of the 2,349 customers who arrived in the last months that can "
        "be judged (Jan 1997 to Mar 1997), 1,587, about 68%, went quiet after one or two purchases."
    ) in html


def test_a_closed_group_leaves_out_the_repeat_rate_and_says_why():
    data = _cdnow_data()
    html = str(report.monitoring_section(data))
    assert (
        "The repeat-business rate (the share of a month's buyers who had bought before) is not shown: "
        "no new customer came in the last months (Apr 1997 to Jun 1998)"
    ) in html
    closed = closed_months(data.monthly, 3)  # the months the chart's panel is left out for
    assert closed == [str(p) for p in pd.period_range("1997-04", "1998-06", freq="M")]
    assert "wins more new customers" not in html
    assert "not from loyalty" in html


def test_spend_per_order_is_judged_against_its_month_to_month_spread_and_the_year_before():
    data = _cdnow_data()
    spend = data.signals.set_index("metric").loc["spend_per_order"]
    assert spend["band_basis"] == "periods" and spend["verdict"] == "within noise"
    assert spend["year_before_periods"] == ["1997-04", "1997-05", "1997-06"]
    html = str(report.monitoring_section(data))
    assert "(± 4.23, from how much the monthly figure varied in the months before)" in html
    assert "The same months a year earlier (Apr 1997 to Jun 1997): 36.55." in html
    assert "it cannot tell a change of loyalty from a change in that mix" in html


def test_an_open_business_keeps_the_repeat_rate_and_no_word_on_the_mix(sample_data):
    html = str(report.monitoring_section(sample_data))
    assert closed_months(sample_data.monthly, 3) is None  # the chart keeps its four panels
    assert "is not shown" not in html
    assert "change in that mix" not in html


def test_the_actions_of_a_closed_group_do_not_ask_to_watch_new_customers():
    html = str(report.actions_section(_cdnow_data()))
    assert "This file holds no new customer from Apr 1997 on" in html
    assert "new customers who go quiet" not in html
    assert "Act on what is worsening" not in html


def test_a_worsening_signal_gives_an_action_that_says_what_to_look_at(sample_data):
    import dataclasses

    data = dataclasses.replace(sample_data)
    signals = sample_data.signals.copy()
    signals.loc[signals["signal"] == "spend_per_order", "verdict"] = "worsening"
    signals.attrs = sample_data.signals.attrs
    data.__dict__["signals"] = signals  # the cached property, as if computed
    html = str(report.actions_section(data))
    spend = signals.set_index("signal").loc["spend_per_order"]
    before = data.m.money(spend["before"], data.currency, 2)
    assert f"<strong>Spend per order has fallen</strong> ({before}, then " in html
    assert "fewer items, prices or discounts changed" in html


def test_cohorts_below_the_minimum_size_are_left_out_with_a_note():
    data = _cdnow_data(("1997-11-14", "1997-11-20"))
    assert data.tables.cohorts[0].tolist() == [2349, 2]
    html = str(report.monitoring_section(data))
    assert "Cohorts of fewer than 20 customers are left out" in html
    assert "1997Q4 (n = 2)" in html


def test_signal_sentences_name_the_months_and_the_band(sample_data):
    html = str(report.monitoring_section(sample_data))
    signals = sample_data.signals.set_index("signal")
    new = signals.loc["new_customers"]
    months = [pd.Period(p, "M").strftime("%b %Y") for p in (*new["before_periods"], *new["after_periods"])]
    assert f"({months[0]} to {months[2]}) to " in html and f"({months[3]} to {months[5]})" in html
    defection = signals.loc["early_defection"]
    assert pd.Period(defection["after_periods"][-1], "M") < pd.Period(new["after_periods"][0], "M")
    assert f"(± {sample_data.m.number(new['band'])} a month)" in html
    assert "Each figure compares 3 months with the 3 before" in html
    figures = report.key_figures(sample_data)["loyalty_signals"]
    assert [f["verdict"] for f in figures] == signals["verdict"].tolist()
    assert figures[0]["months_compared"]["after"] == new["after_periods"]


def test_figures_json_gives_the_year_before_and_the_latest_level():
    signals = {s["signal"]: s for s in report.key_figures(_cdnow_data())["loyalty_signals"]}
    spend, early = signals["spend_per_order"], signals["early_defection"]
    assert spend["band_basis"] == "periods"
    assert spend["year_before_months"] == ["1997-04", "1997-05", "1997-06"]
    assert spend["year_before"] == pytest.approx(36.553946, abs=1e-5)
    assert early["level_months"] == ["1997-01", "1997-02", "1997-03"]
    assert early["level"] == pytest.approx(1587 / 2349, abs=1e-6)
    assert signals["new_customers"]["level"] is None and signals["new_customers"]["year_before"] is None
