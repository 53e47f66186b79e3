"""Explorers of lesson 04 (loyalty-value math).

Two explorers: :func:`value_explorer` (what a loyal customer brings more than a satisfied
one, and by word of mouth: [fr-loyalty-value]) and :func:`lifetime_explorer`
(how long a customer stays and what that is worth at a given yearly retention:
[it-loyalty-steps] and [ru-loyalty-tips]). They start from a business's own
figures (:func:`loyalty_lessons.loyalty_value.business_figures`). A year is 12 months
throughout.
"""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import pandas as pd
from matplotlib.axes import Axes

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE
from loyalty_lessons.formatting import currency_symbol  # re-exported: the lesson imports it here
from loyalty_lessons.lesson_texts import say, write_significant, write_value
from loyalty_lessons.loyalty_value.lifetime import (
    RetentionUplift,
    customer_lifetime_value,
    customers_remaining,
    expected_lifetime_years,
    retention_uplift_value,
)
from loyalty_lessons.loyalty_value.spend_and_referrals import ReferralValue, referral_value, value_over_years
from loyalty_lessons.plots import (
    changed_artists,
    plot_customers_remaining,
    plot_margin_earned,
    plot_referred_spend,
    plot_value_over_years,
)
from loyalty_lessons.plots.texts import chart_texts
from loyalty_lessons.widgets._base import Explorer

__all__ = [
    "LifetimeView",
    "ValueView",
    "currency_symbol",
    "describe_business",
    "describe_lifetime",
    "describe_value",
    "lifetime_explorer",
    "lifetime_view",
    "value_explorer",
    "value_view",
]


def _money(amount: float, symbol: str, language: str = DEFAULT_LANGUAGE) -> str:
    if language == DEFAULT_LANGUAGE:
        sign = "-" if amount < 0 else ""
        return f"{sign}{symbol}{abs(amount):,.0f}"
    return chart_texts("loyalty_value", language).money(amount, symbol)


def describe_business(figures, symbol: str = "$", language: str = DEFAULT_LANGUAGE) -> str:
    """What a business's own figures say, in a sentence whose comparisons follow the data.

    Parameters
    ----------
    figures : loyalty_lessons.loyalty_value.BusinessFigures
        ``monthly_spend_satisfied``, ``monthly_spend_loyal`` and ``yearly_retention``.
    symbol : str, default "$"
        Written before amounts (where the language writes the currency).
    language : str, default "en"

    Examples
    --------
    >>> from loyalty_lessons.loyalty_value import BusinessFigures
    >>> print(describe_business(BusinessFigures(100, 80, 20.0, 15.0, 30.0, 0.8)))  # doctest: +ELLIPSIS
    On these records a regular customer spends $30 a month, $15 more than an occasional one; ...
    >>> "about 5.0 calendar years in a row" in describe_business(BusinessFigures(100, 80, 20, 15, 30, 0.8))
    True
    >>> print(describe_business(BusinessFigures(100, 80, 20.0, 30.0, 25.0, 0.8)))  # doctest: +ELLIPSIS
    On these records a regular customer spends $25 a month, $5 less than an occasional one; ...
    """
    gap = figures.monthly_spend_loyal - figures.monthly_spend_satisfied
    return say(
        "explorers.loyalty_value.business_" + ("more" if gap >= 0 else "less"),
        language,
        spend=_money(figures.monthly_spend_loyal, symbol, language),
        gap=_money(abs(gap), symbol, language),
        retention=write_value(figures.yearly_retention, language, "percent", 0),
        years=write_value(expected_lifetime_years(figures.yearly_retention), language, "number", 1),
    )


# --------------------------------------------------------------------------- value explorer


class ValueView(NamedTuple):
    """Loyal vs satisfied spend over the years, and one loyal customer's referrals in a year."""

    over_years: pd.DataFrame
    referrals: ReferralValue
    people_told_per_month: float
    conversion: float
    symbol: str
    referred: pd.DataFrame | None = None


def value_view(
    monthly_spend_satisfied: float,
    monthly_spend_loyal: float,
    years: int,
    people_told_per_month: float,
    conversion_percent: float,
    symbol: str = "$",
) -> ValueView:
    """[fr-loyalty-value]'s example for any figures: the value gap and a year of referrals.

    Parameters
    ----------
    monthly_spend_satisfied, monthly_spend_loyal : float
        Spend per month of each type of customer.
    years : int
        Years over which the spend adds up.
    people_told_per_month : float
        People a loyal customer tells about the business each month.
    conversion_percent : float
        Percent of them who become loyal customers (0-100).
    symbol : str, default "$"
        Written before amounts.

    Returns
    -------
    ValueView
        ``over_years`` (:func:`~loyalty_lessons.loyalty_value.value_over_years`),
        ``referrals`` (:func:`~loyalty_lessons.loyalty_value.referral_value`, each new
        customer spending like a loyal one), the referral inputs, ``symbol`` and ``referred``:
        ``year`` and ``referred_spend``, the first-year spend of the customers won by then.

    Examples
    --------
    >>> view = value_view(50, 75, 5, 5, 20)
    >>> float(view.over_years["difference"].iloc[-1]), view.referrals.revenue
    (1500.0, 10800.0)
    """
    over_years = value_over_years(
        monthly_spend_satisfied=monthly_spend_satisfied,
        monthly_spend_loyal=monthly_spend_loyal,
        years=years,
    )
    conversion = conversion_percent / 100
    referrals = referral_value(
        people_told_per_month=people_told_per_month,
        conversion=conversion,
        yearly_spend=float(over_years["loyal_value"].iloc[1]),
    )
    # Each year's new customers counted for their first year of spend, as the source does.
    year = over_years["year"]
    referred = pd.DataFrame({"year": year, "referred_spend": referrals.revenue * year})
    return ValueView(over_years, referrals, people_told_per_month, conversion, symbol, referred)


def describe_value(view: ValueView, language: str = DEFAULT_LANGUAGE) -> str:
    """The finding in one sentence, in ``language``.

    Examples
    --------
    >>> sentence = describe_value(value_view(50, 75, 5, 5, 20))
    >>> sentence.startswith("Over 5 years a loyal customer brings $1,500 more")
    True
    >>> sentence.endswith("they win 12 new loyal customers a year, worth $10,800.")
    True
    """
    last = view.over_years.iloc[-1]
    years = int(last["year"])
    # A negative gap is said as "less", never as "brings -100 more".
    more = "more" if last["difference"] >= 0 else "less"
    t = chart_texts("loyalty_value", language)
    return say(
        f"explorers.loyalty_value.value_{more}",
        language,
        years=t.plural("years", years, count=t.number(years)),
        gap=_money(abs(last["difference"]), view.symbol, language),
        people=write_value(view.people_told_per_month, language),
        conversion=write_value(view.conversion, language, "percent", 0),
        new=write_significant(view.referrals.new_customers, 3, language),
        revenue=_money(view.referrals.revenue, view.symbol, language),
    )


def value_explorer(
    monthly_spend_satisfied: float = 50.0,
    monthly_spend_loyal: float = 75.0,
    *,
    years: int = 5,
    people_told_per_month: int = 5,
    conversion_percent: int = 20,
    symbol: str = "$",
    language: str = DEFAULT_LANGUAGE,
) -> Explorer:
    """Sliders for the two monthly spends, the years and the referrals ([fr-loyalty-value]).

    The defaults are [fr-loyalty-value]'s figures; pass a business's own
    monthly spends (see :func:`~loyalty_lessons.loyalty_value.business_figures`) and
    ``symbol`` to explore its case.

    Returns
    -------
    loyalty_lessons.widgets.Explorer
        Controls ``monthly_spend_satisfied``, ``monthly_spend_loyal``, ``years``,
        ``people_told_per_month`` and ``conversion_percent``; the chart is
        :func:`~loyalty_lessons.plots.plot_value_over_years`.
    """
    top = float(max(100.0, 2 * monthly_spend_loyal, 2 * monthly_spend_satisfied))
    texts = chart_texts("loyalty_value", language)
    referred_texts = chart_texts("referred_spend", language)

    def limits(view: ValueView) -> tuple[float, float]:
        # Room for the highest spend the sliders allow, so that the lines can move
        # without the axis rescaling; only a change of years redraws.
        return 0.0, 1.05 * 12 * top * int(view.over_years["year"].iloc[-1])

    def draw(view: ValueView, ax: Axes) -> tuple[Axes, Axes]:
        # The referrals on a second axis, drawn under the spend lines.
        referred = ax.twinx()
        ax.set_zorder(referred.get_zorder() + 1)
        ax.patch.set_visible(False)
        plot_referred_spend(view.referred, referred, currency=view.symbol, texts=referred_texts)
        plot_value_over_years(view.over_years, ax, currency=view.symbol, texts=texts)
        ax.set_ylim(*limits(view))
        return ax, referred

    def refresh(view: ValueView, chart: tuple[Axes, Axes]):
        ax, referred = chart
        if ax.get_ylim() != limits(view):
            return None
        bars = changed_artists(
            plot_referred_spend(view.referred, referred, currency=view.symbol, texts=referred_texts)
        )
        lines = changed_artists(plot_value_over_years(view.over_years, ax, currency=view.symbol, texts=texts))
        return None if bars is None or lines is None else [*bars, *lines]

    style = {"description_width": "170px"}
    layout = widgets.Layout(width="480px")
    controls = {
        "monthly_spend_satisfied": widgets.FloatSlider(
            value=monthly_spend_satisfied,
            min=0.0,
            max=top,
            step=0.5,
            description=say("explorers.loyalty_value.satisfied", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "monthly_spend_loyal": widgets.FloatSlider(
            value=monthly_spend_loyal,
            min=0.0,
            max=top,
            step=0.5,
            description=say("explorers.loyalty_value.loyal", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "years": widgets.IntSlider(
            value=years,
            min=1,
            max=20,
            description=say("explorers.loyalty_value.years", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "people_told_per_month": widgets.IntSlider(
            value=people_told_per_month,
            min=0,
            max=20,
            description=say("explorers.loyalty_value.people", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "conversion_percent": widgets.IntSlider(
            value=conversion_percent,
            min=0,
            max=100,
            step=5,
            description=say("explorers.loyalty_value.conversion", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
    }
    _keep_in_order(controls["monthly_spend_satisfied"], controls["monthly_spend_loyal"])
    return Explorer(
        controls,
        compute=lambda **values: value_view(**values, symbol=symbol),
        draw=draw,
        refresh=refresh,
        describe=lambda view: describe_value(view, language),
        margins={"left": 0.11, "right": 0.86, "bottom": 0.12, "top": 0.92},
    )


def _keep_in_order(low: widgets.FloatSlider, high: widgets.FloatSlider) -> None:
    """Keep ``low`` at or below ``high``: each slider's range stops at the other's value.

    A satisfied customer spending more than a loyal one is a case the example does not
    make (its sentence would read "brings less"); when the figures given start that way
    round (a client's data may), the sliders are left free.
    """
    if low.value > high.value:
        return
    high.min, low.max = low.value, high.value

    def follow_low(change) -> None:
        high.min = change["new"]

    def follow_high(change) -> None:
        low.max = change["new"]

    low.observe(follow_low, names="value")
    high.observe(follow_high, names="value")


# --------------------------------------------------------------------------- lifetime explorer


class LifetimeView(NamedTuple):
    """What a yearly retention rate means: customers left, lifetime, lifetime value."""

    remaining: pd.DataFrame
    yearly_retention: float
    discount_rate_yearly: float
    yearly_margin: float
    lifetime_years: float
    lifetime_value: float
    uplift: RetentionUplift
    symbol: str
    earned: pd.DataFrame | None = None


def lifetime_view(
    monthly_spend: float,
    margin_percent: float,
    retention_percent: float,
    discount_percent: float,
    years: int,
    symbol: str = "$",
) -> LifetimeView:
    """Customers left, expected lifetime and lifetime value at a yearly retention rate.

    Parameters
    ----------
    monthly_spend : float
        Spend per month of a customer.
    margin_percent : float
        Percent of the spend that is margin (0-100).
    retention_percent : float
        Percent of customers still there a year later (0-94, so that five more points stay
        below 100).
    discount_percent : float
        Yearly discount rate, in percent.
    years : int
        Years shown on the chart of customers left.
    symbol : str, default "$"
        Written before amounts.

    Returns
    -------
    LifetimeView
        ``remaining`` (:func:`~loyalty_lessons.loyalty_value.customers_remaining` of 100
        customers), ``yearly_retention``, ``discount_rate_yearly``, ``yearly_margin``
        (12 x monthly_spend x margin), ``lifetime_years``
        (:func:`~loyalty_lessons.loyalty_value.expected_lifetime_years`), ``lifetime_value``
        (:func:`~loyalty_lessons.loyalty_value.customer_lifetime_value`: the margin of each
        year at its start, the first year certain, so that ``lifetime_years`` years of
        margin are counted), ``uplift``
        (:func:`~loyalty_lessons.loyalty_value.retention_uplift_value` of five more points,
        for one customer), ``symbol`` and ``earned``: ``year`` and ``margin_earned``, the
        discounted margin one starting customer has brought by the start of each year shown
        (weighted by the chance they are still there), which tends to ``lifetime_value``.

    Raises
    ------
    LoyaltyDataError
        If retention plus five points reaches 100%, or a figure is out of range.

    Examples
    --------
    >>> view = lifetime_view(100, 25, 80, 10, 10)
    >>> view.yearly_margin, round(view.lifetime_years, 2), round(view.lifetime_value, 2)
    (300.0, 5.0, 1100.0)
    >>> round(view.uplift.value_per_customer, 2)
    220.0
    """
    retention = retention_percent / 100
    discount = discount_percent / 100
    yearly_margin = 12 * float(monthly_spend) * margin_percent / 100
    uplift = retention_uplift_value(
        customers=1, yearly_margin=yearly_margin, yearly_retention=retention, discount_rate_yearly=discount
    )
    remaining = customers_remaining(100, 1 - retention, years)
    # Each year's margin at its start, from the customers there then, the first year certain:
    # the sum over all years is customer_lifetime_value's m (1 + i) / (1 + i - r).
    year = remaining["year"]
    margin_each_year = yearly_margin * remaining["share_remaining"] / (1 + discount) ** year
    earned = pd.DataFrame({"year": year, "margin_earned": margin_each_year.cumsum()})
    return LifetimeView(
        remaining=remaining,
        yearly_retention=retention,
        discount_rate_yearly=discount,
        yearly_margin=yearly_margin,
        lifetime_years=expected_lifetime_years(retention),
        lifetime_value=customer_lifetime_value(yearly_margin, retention, discount),
        uplift=uplift,
        symbol=symbol,
        earned=earned,
    )


def describe_lifetime(view: LifetimeView, language: str = DEFAULT_LANGUAGE) -> str:
    """The finding in one sentence, in ``language``.

    Examples
    --------
    >>> sentence = describe_lifetime(lifetime_view(100, 25, 80, 10, 10))
    >>> sentence.startswith("Keeping 80% of customers a year, a customer stays 5.0 years")
    True
    >>> sentence.endswith("five more points of retention add $220 per customer.")
    True
    """
    return say(
        "explorers.loyalty_value.lifetime",
        language,
        retention=write_value(view.yearly_retention, language, "percent", 0),
        years=write_value(view.lifetime_years, language, "number", 1),
        value=_money(view.lifetime_value, view.symbol, language),
        discount=write_value(view.discount_rate_yearly, language, "percent", 0),
        uplift=_money(view.uplift.value_per_customer, view.symbol, language),
    )


def lifetime_explorer(
    monthly_spend: float = 75.0,
    yearly_retention: float = 0.8,
    *,
    margin_percent: float = 30,
    discount_percent: float = 10,
    years: int = 10,
    symbol: str = "$",
    language: str = DEFAULT_LANGUAGE,
) -> Explorer:
    """Sliders for spend, margin, retention and discount rate, over the customers-left chart.

    [it-loyalty-steps] puts yearly defection at 15-20%, hence the default
    retention of 80%.

    Returns
    -------
    loyalty_lessons.widgets.Explorer
        Controls ``monthly_spend``, ``margin_percent``, ``retention_percent``,
        ``discount_percent`` and ``years``; the chart is
        :func:`~loyalty_lessons.plots.plot_customers_remaining`.
    """
    style = {"description_width": "170px"}
    layout = widgets.Layout(width="480px")
    retention_percent = int(min(94, max(1, round(100 * yearly_retention))))
    controls = {
        "monthly_spend": widgets.FloatSlider(
            value=monthly_spend,
            min=0.0,
            max=float(max(100.0, 2 * monthly_spend)),
            step=0.5,
            description=say("explorers.loyalty_value.spend", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "margin_percent": widgets.IntSlider(
            value=int(round(margin_percent)),
            min=0,
            max=100,
            step=5,
            description=say("explorers.loyalty_value.margin", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "retention_percent": widgets.IntSlider(
            value=retention_percent,
            min=1,
            max=94,
            description=say("explorers.loyalty_value.retention", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "discount_percent": widgets.IntSlider(
            value=int(round(discount_percent)),
            min=0,
            max=30,
            description=say("explorers.loyalty_value.discount", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "years": widgets.IntSlider(
            value=years,
            min=1,
            max=20,
            description=say("explorers.loyalty_value.years_shown", language),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
    }
    return Explorer(
        controls,
        compute=lambda **values: lifetime_view(**values, symbol=symbol),
        draw=lambda view, ax: _draw_remaining(view, ax, language),
        refresh=lambda view, chart: _refresh_remaining(view, chart, language),
        describe=lambda view: describe_lifetime(view, language),
        margins={"left": 0.09, "right": 0.88, "bottom": 0.12, "top": 0.92},
    )


def _draw_remaining(view: LifetimeView, ax: Axes, language: str = DEFAULT_LANGUAGE) -> tuple[Axes, Axes]:
    """Bars of customers left (retention), and on a second axis the margin they bring
    (spend, margin and discount rate), so that every control moves the chart."""
    plot_customers_remaining(view.remaining, ax, texts=chart_texts("customers_remaining", language))
    ax.set_ylim(0, 105)  # 100 customers at first, whatever the retention
    money = ax.twinx()
    _plot_margin(view, money, language)
    return ax, money


def _plot_margin(view: LifetimeView, ax: Axes, language: str) -> Axes:
    return plot_margin_earned(
        view.earned,
        ax,
        lifetime_value=view.lifetime_value,
        currency=view.symbol,
        texts=chart_texts("margin_earned", language),
    )


def _refresh_remaining(view: LifetimeView, chart: tuple[Axes, Axes], language: str = DEFAULT_LANGUAGE):
    ax, money = chart
    bars = changed_artists(
        plot_customers_remaining(view.remaining, ax, texts=chart_texts("customers_remaining", language))
    )
    line = changed_artists(_plot_margin(view, money, language))
    return None if bars is None or line is None else [*bars, *line]
