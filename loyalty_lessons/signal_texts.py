"""The loyalty signals' sentences in the reader's language.

:func:`~loyalty_lessons.monitoring.loyalty_signals` writes each signal's ``message`` in
English; :func:`signal_sentences` writes the same sentence in a lesson's language from the
signal's figures and the catalogue (``[lessons.signals]``), with the numbers written for the
language. The report writes its own sentences (its months in words, its currency).
"""

from __future__ import annotations

import pandas as pd

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, entry
from loyalty_lessons.formatting import format_number, format_percent_share

__all__ = ["signal_sentences"]

#: How each signal's figures are written: a count, a share (0-1) or an amount.
KINDS = {"new_customers": "count", "early_defection_rate": "share", "spend_per_order": "amount"}


def _text(language: str, key: str, **values) -> str:
    return entry(language, f"lessons.signals.{key}").format(**values)


def _span(labels: list[str], language: str) -> str:
    if len(labels) == 1:
        return labels[0]
    return _text(language, "span", first=labels[0], last=labels[-1])


def _write(value: float, kind: str, language: str) -> str:
    if kind == "share":
        return format_percent_share(value, 0, locale=language)
    return format_number(value, 0 if kind == "count" else 2, locale=language)


def signal_sentences(
    signals: pd.DataFrame, language: str = DEFAULT_LANGUAGE, *, period: str = "M"
) -> list[str]:
    """One sentence per signal, in ``language``: both levels and the periods they cover, the
    band of normal variation and the verdict, or why the signal cannot be judged.

    Parameters
    ----------
    signals : pandas.DataFrame
        From :func:`~loyalty_lessons.monitoring.loyalty_signals`.
    language : str, default "en"
        In English, the signals' own ``message``.
    period : {"W", "M", "Q"}
        The period of the monitoring table the signals judge.

    Examples
    --------
    >>> from loyalty_lessons.inputs import load_inputs
    >>> from loyalty_lessons.monitoring import loyalty_signals, monitoring_table
    >>> signals = loyalty_signals(monitoring_table(load_inputs().transactions))
    >>> signal_sentences(signals, "fr")[0]  # doctest: +ELLIPSIS
    'Nouveaux clients par mois : de 46 (2025-07 à 2025-09) à 44 (2025-10 à 2025-12)...'
    """
    if language == DEFAULT_LANGUAGE:
        return list(signals["message"])
    sentences = []
    for s in signals.itertuples():
        kind = KINDS.get(s.metric)
        if kind is None:  # a signal of the caller's own rules: its own words
            sentences.append(s.message)
            continue
        label = _text(language, f"names.{s.metric}.{period}" if kind == "count" else f"names.{s.metric}")
        if s.verdict == "not applicable":
            values = dict(s.reason_values or {})
            for key in ("before", "after", "total", "usable", "needed", "minimum", "days"):
                if key in values:
                    values[key] = format_number(values[key], locale=language)
            values["unit"] = _text(language, f"units.{period}")
            reason = _text(language, f"reasons.{s.reason_code}", **values)
            sentences.append(_text(language, "not_applicable", label=label, reason=reason))
            continue
        if kind == "share":
            band = _text(language, "band_share", band=format_number(100 * s.band, locale=language))
        elif kind == "count":
            band = _text(language, f"band_count.{period}", band=format_number(s.band, locale=language))
        else:
            band = _write(s.band, kind, language)
        spans = _text(
            language,
            "went",
            label=label,
            before=_write(s.before, kind, language),
            after=_write(s.after, kind, language),
            before_periods=_span(s.before_periods, language),
            after_periods=_span(s.after_periods, language),
        )
        if s.verdict == "within noise":
            sentences.append(_text(language, "noise", spans=spans, band=band))
        else:
            verdict = entry(language, "verdicts." + s.verdict.replace(" ", "_"))
            sentences.append(_text(language, "beyond", spans=spans, band=band, verdict=verdict))
    return sentences
