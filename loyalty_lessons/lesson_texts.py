"""The sentences the lessons' code cells print, in the reader's language.

A lesson's code is the same in every language (``notebooks/<lang>/`` differ from the English
lessons only in their markdown and in the parameters cell's ``language``): what a cell prints
is a message of the catalogue (``[lessons]`` of ``loyalty_lessons/messages/<language>.toml``)
read by :func:`say`, with its numbers written for the language by
:mod:`loyalty_lessons.formatting`.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import pandas as pd
from babel import Locale

from loyalty_lessons import formatting
from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, elide, entry

__all__ = [
    "NUMBER_FORMATS",
    "TABLE_WORDS",
    "check_sentence",
    "model_refusal",
    "prescriptions_table",
    "say",
    "say_count",
    "spend_check_sentence",
    "table_in",
    "write_significant",
    "write_value",
]

#: How a message writes its numbers, by message and placeholder: "signed" (+0.25), "percent"
#: (a share 0-1: 71%), "points" (a percentage already times 100: 71 -> 71%), "number"; and the
#: decimals. A number not listed is written with no decimals when whole, else with two.
NUMBER_FORMATS: dict[str, dict[str, tuple[str, int]]] = {
    "quality_gap.servqual": {"unweighted": ("signed", 2), "weighted": ("signed", 2)},
    "quality_gap.nps": {"nps": ("signed", 0)},
    "customer_types.uplift": {"uplift": ("points", 0), "low": ("points", 0), "high": ("points", 0)},
    "pareto.overlap": {"top_value": ("percent", 0), "top_complainers": ("percent", 0)},
    "pareto.complaint_verdict.more": {"complaints": ("percent", 0), "revenue": ("percent", 0)},
    "pareto.complaint_verdict.less": {"complaints": ("percent", 0), "revenue": ("percent", 0)},
    "pareto.complaint_verdict.about as": {"complaints": ("percent", 0), "revenue": ("percent", 0)},
}


#: The columns of the lessons' tables whose values are words a reader reads, and the tables of
#: the catalogue that say each value in another language, the first that has it (a value none
#: has stays as it is).
TABLE_WORDS: dict[str, tuple[str, ...]] = {
    "type": ("type_names", "lessons.values.behaviour"),
    "dimension": ("dimension_names",),
    "quadrant": ("lessons.values.quadrant",),
    "band": ("lessons.values.band",),
    "base": ("lessons.values.base",),
    "measure": ("lessons.values.measure",),
    "reason": ("reasons",),
    "verdict": ("verdicts",),
}


def write_value(value, language: str = DEFAULT_LANGUAGE, kind: str | None = None, decimals: int = 2) -> str:
    """``value`` as a lesson's sentence writes it in ``language``.

    A bool is yes or no, a number has the language's separators (``kind`` as in
    :data:`NUMBER_FORMATS`), anything else is written as it is.

    Examples
    --------
    >>> write_value(1234, "fr"), write_value(0.713, "fr", "percent", 0), write_value(True, "it")
    ('1\\u202f234', '71\\xa0%', 'sì')
    >>> write_value(0.25, "en", "signed"), write_value(12.5, "ru")
    ('+0.25', '12,50')
    """
    if isinstance(value, bool):
        return entry(language, "lessons.yes" if value else "lessons.no")
    if not isinstance(value, Real):
        return str(value)
    if kind == "percent":
        return formatting.format_percent_share(value, decimals, locale=language)
    if kind == "points":
        return formatting.format_percent_share(value / 100, decimals, locale=language)
    if kind == "signed":
        return formatting.format_signed(value, decimals, locale=language)
    if kind is None and (isinstance(value, Integral) or (math.isfinite(value) and float(value).is_integer())):
        decimals = 0
    return formatting.format_number(value, decimals, locale=language)


def say(key: str, language: str = DEFAULT_LANGUAGE, **values) -> str:
    """The lesson sentence ``lessons.<key>`` in ``language``, with ``values`` written in.

    Parameters
    ----------
    key : str
        The message under ``[lessons]`` of the catalogue ("quality_gap.nps").
    language : str, default "en"
        The lesson's ``language`` parameter.
    **values
        The message's placeholders; numbers are written for the language as
        :data:`NUMBER_FORMATS` says.

    Raises
    ------
    KeyError
        If no catalogue has the message.

    Examples
    --------
    >>> say("quality_gap.nps", nps=31.6)
    'Net Promoter Score: +32 points'
    >>> print(say("quality_gap.nps", "fr", nps=-4))
    Net Promoter Score : −4 points
    """
    formats = NUMBER_FORMATS.get(key, {})
    written = {
        name: write_value(value, language, *formats.get(name, (None, 2))) for name, value in values.items()
    }
    return elide(entry(language, f"lessons.{key}").format(**written), language)


def model_refusal(error: Exception, language: str = DEFAULT_LANGUAGE) -> str:
    """Why a model was refused (a :class:`~loyalty_lessons.ModelFitError`), in ``language``:
    the catalogue's words for the reason the library names in one word, else its message.

    Examples
    --------
    >>> from loyalty_lessons import ModelFitError
    >>> model_refusal(ModelFitError("The fit did not converge.", "not_converged"), "fr")
    'l’ajustement n’a pas convergé vers les meilleurs paramètres.'
    """
    reason = getattr(error, "reason", None)
    if language == DEFAULT_LANGUAGE or reason is None:
        return str(error)
    try:
        return entry(language, f"model_reasons.{reason}")
    except KeyError:
        return str(error)


def say_count(key: str, count: float, language: str = DEFAULT_LANGUAGE, **values) -> str:
    """The form of the table ``lessons.<key>`` (CLDR plural forms: ``one``, ``few``, ``many``,
    ``other``) that agrees with ``count``, with ``count`` written in as ``{count}``.

    Examples
    --------
    >>> key = "explorers.customer_base.repeat_purchases"
    >>> say_count(key, 1), say_count(key, 3), say_count(key, 3, "ru"), say_count(key, 5, "ru")
    ('1 repeat purchase', '3 repeat purchases', '3 повторными покупками', '5 повторными покупками')
    """
    form = Locale.parse(language).plural_form(abs(count))
    written = write_value(count, language)
    try:
        return say(f"{key}.{form}", language, count=written, **values)
    except KeyError:
        return say(f"{key}.other", language, count=written, **values)


def write_significant(value: float, digits: int, language: str = DEFAULT_LANGUAGE) -> str:
    """``value`` with ``digits`` significant digits, as Python's ``{:,.<digits>g}`` writes it,
    with the language's separators.

    Examples
    --------
    >>> write_significant(12.0, 3), write_significant(0.05512, 2, "fr"), write_significant(12345.6, 6)
    ('12', '0,055', '12,345.6')
    """
    rounded = f"{value:.{digits}g}"
    if "e" in rounded:
        return rounded
    decimals = len(rounded.partition(".")[2])
    return write_value(float(rounded), language, "number", decimals)


def check_sentence(check, language: str = DEFAULT_LANGUAGE) -> str:
    """The model check's verdict in ``language`` (in English, the check's own ``message``).

    Parameters
    ----------
    check : loyalty_lessons.customer_base_check.ModelCheck
        From :func:`~loyalty_lessons.customer_base_check.model_check`.
    language : str, default "en"
    """
    if language == DEFAULT_LANGUAGE:
        return check.message
    from loyalty_lessons.customer_base_check import CHECK_RULES

    pattern = entry(language, "format.date")

    def day(value) -> str:
        return formatting.format_date(value, pattern, locale=language)

    said = say(
        "model_check.said",
        language,
        calibration_end=day(check.calibration_end),
        predicted=round(check.predicted_repeat_purchases),
        start=day(check.calibration_end + pd.Timedelta(days=1)),
        end=day(check.holdout_end),
    )
    if check.verdict == "not enough data":
        return say(
            "model_check.not_enough",
            language,
            said=said,
            actual=check.actual_repeat_purchases,
            minimum=int(CHECK_RULES["min_holdout_purchases"]),
        )
    error = check.relative_error
    return say(
        f"model_check.{check.verdict}",
        language,
        said=said,
        error=write_value(abs(error), language, "percent", 0),
        direction=entry(language, "lessons.model_check.more" if error > 0 else "lessons.model_check.fewer"),
        actual=check.actual_repeat_purchases,
        tolerance=write_value(check.tolerance, language, "percent", 0),
    )


def spend_check_sentence(model, language: str = DEFAULT_LANGUAGE) -> str:
    """Whether what repeat buyers spend per purchase depends on how often they buy, as the
    spend model checks it, in ``language`` (in English, the model's own
    ``spend_frequency_message``).

    Parameters
    ----------
    model : loyalty_lessons.spend_model.GammaGammaModel
        From :func:`~loyalty_lessons.spend_model.fit_gamma_gamma`.
    language : str, default "en"

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> model = SimpleNamespace(spend_frequency_correlation=0.12, spend_frequency_verdict="independent")
    >>> spend_check_sentence(model, "fr")[:44]
    'Ce que les clients qui rachètent dépensent p'
    """
    if language == DEFAULT_LANGUAGE and hasattr(model, "spend_frequency_message"):
        return model.spend_frequency_message
    from loyalty_lessons._model_fit import MODEL_RULES

    correlation = float(model.spend_frequency_correlation)
    if model.spend_frequency_verdict == "independent":
        key = "customer_base.spend_independent"
    else:
        key = f"customer_base.spend_correlated_{'more' if correlation > 0 else 'less'}"
    return say(
        key,
        language,
        correlation=write_value(correlation, language, "number", 2),
        limit=write_value(MODEL_RULES["max_spend_frequency_correlation"], language, "number", 2),
    )


def prescriptions_table(language: str = DEFAULT_LANGUAGE):
    """What each customer type feels and what to do about it ([it-loyalty-steps]), in
    ``language``: the columns of :func:`~loyalty_lessons.customer_types.service_prescriptions`
    (``type``, ``state_of_mind``, ``prescription``), its table itself in English.
    """
    from loyalty_lessons.customer_types import service_prescriptions

    english = service_prescriptions()
    if language == DEFAULT_LANGUAGE:
        return english
    table = english.copy()
    codes = english["type"].astype("str")
    table["type"] = [entry(language, f"type_names.{code}") for code in codes]
    table["state_of_mind"] = [entry(language, f"prescriptions.{code}.mind") for code in codes]
    table["prescription"] = [entry(language, f"prescriptions.{code}.action") for code in codes]
    return table


def table_in(table: pd.DataFrame | pd.Series, language: str = DEFAULT_LANGUAGE) -> pd.DataFrame | pd.Series:
    """``table`` to show in a lesson, its words in ``language``: the values of the columns of
    :data:`TABLE_WORDS` (types, behaviours, dimensions, quadrants, bands, bases, measures,
    reasons), and the labels of an index or of columns named after one of them (a
    ``value_counts``, a ``crosstab``).

    Parameters
    ----------
    table : pandas.DataFrame or pandas.Series
        Any table of the lessons; a column not in :data:`TABLE_WORDS`, and a value the
        catalogue does not name, stay as they are.
    language : str, default "en"
        In English, ``table`` itself.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        A new table with the same columns and rows, for reading only: the code works on
        ``table``.

    Examples
    --------
    >>> grid = pd.DataFrame({"dimension": ["reliability"], "quadrant": ["fix first"]})
    >>> table_in(grid, "fr").iloc[0].tolist()
    ['fiabilité', 'à corriger d’abord']
    >>> table_in(pd.Series([3], index=pd.Index(["impulse"], name="type")), "it").index.tolist()
    ['d’impulso']
    """
    if language == DEFAULT_LANGUAGE:
        return table
    out = table.copy()

    def words(labels: pd.Index) -> pd.Index:
        tables = TABLE_WORDS.get(labels.name)
        return labels if tables is None else labels.map(lambda value: _word(language, tables, value))

    out.index = words(out.index)
    if isinstance(out, pd.Series):
        if out.name in TABLE_WORDS:
            out[:] = [_word(language, TABLE_WORDS[out.name], value) for value in out]
        return out
    out.columns = words(out.columns)
    for column, tables in TABLE_WORDS.items():
        if column in out.columns:
            out[column] = [_word(language, tables, value) for value in out[column]]
    return out


def _word(language: str, tables: tuple[str, ...], value):
    if not isinstance(value, str):
        return value
    for table in tables:
        for key in dict.fromkeys((value, value.replace(" ", "_"))):  # "within noise": within_noise
            try:
                return entry(language, f"{table}.{key}")
            except KeyError:
                continue
    return value
