"""Exercises of lesson 01, the quality gap: ``q1`` to ``q5``.

Each expected answer is computed from the survey of the exercise notebook
(``inputs.survey``, one row per respondent and item answered), so the exercises hold on the
sample business and on a client's survey alike. The sample's respondents leave some items
blank, which gives the traps of counting rows instead of respondents their own figures.
Notebook: ``notebooks/exercises/01-quality-gap-exercises.ipynb``.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, Mistake, close_to, equal

__all__ = ["ITEM_Q1", "q1", "q2", "q3", "q4", "q5"]

#: The questionnaire item of question 1 (a reliability item: "the parcel arrives on the day
#: promised").
ITEM_Q1 = 7


def _survey(ns: dict):
    return ns["inputs"].survey


def _item(ns: dict):
    survey = _survey(ns)
    return survey[survey["item"] == ITEM_Q1]


def _reliability(ns: dict):
    survey = _survey(ns)
    return survey[survey["dimension"] == "reliability"]


def _recommend(ns: dict):
    """Each respondent's answer to "would you recommend us?", once per respondent."""
    return _survey(ns).groupby("respondent_id")["recommend"].first().dropna()


def _reliability_gap_by_respondent(ns: dict):
    rows = _reliability(ns)
    return (rows["perception"] - rows["expectation"]).groupby(rows["respondent_id"]).mean()


def _nps(scores) -> float:
    return float(((scores >= 9).mean() - (scores <= 6).mean()) * 100)


def _nps_of(ns: dict, respondents) -> float:
    scores = _recommend(ns)
    return _nps(scores[scores.index.isin(respondents)])


def _below_by_respondent(ns: dict):
    rows = _reliability(ns)
    return (rows["perception"] < rows["expectation"]).groupby(rows["respondent_id"])


def _rows_of(ns: dict, respondents):
    """The ``recommend`` score on each reliability row of these respondents (a row per item)."""
    rows = _reliability(ns)
    return rows.loc[rows["respondent_id"].isin(respondents), "recommend"].dropna()


def _let_down_on_all(ns: dict) -> int:
    """Respondents who answered every reliability item and are below expectation on each."""
    items = _reliability(ns)["item"].nunique()
    return int((_below_by_respondent(ns).sum() == items).sum())


q1 = Exercise(
    variable="item_gap",
    question=(
        f"What is the average gap (perception minus expectation) of questionnaire item {ITEM_Q1}, "
        "over all the respondents who answered it?"
    ),
    expected=lambda ns: float((_item(ns)["perception"] - _item(ns)["expectation"]).mean()),
    hint_text=(
        f"Keep the rows of `inputs.survey` whose `item` is {ITEM_Q1}, subtract the `expectation` "
        "column from the `perception` column, and take the `.mean()`."
    ),
    solution_code=(
        f'rows = inputs.survey[inputs.survey["item"] == {ITEM_Q1}]\n'
        'item_gap = (rows["perception"] - rows["expectation"]).mean()\n'
    ),
    compare=close_to(0.005),
    mistakes=(
        Mistake(
            lambda ns: float((_item(ns)["expectation"] - _item(ns)["perception"]).mean()),
            "the sign is the wrong way round: the gap is perception minus expectation, so a "
            "negative gap means customers are let down.",
        ),
        Mistake(
            lambda ns: float(_item(ns)["perception"].mean()),
            "that is the average perception alone; the gap subtracts the expectation.",
        ),
        Mistake(
            lambda ns: float((_reliability(ns)["perception"] - _reliability(ns)["expectation"]).mean()),
            f"that is the gap of the whole reliability dimension (items 5 to 9); keep item {ITEM_Q1} only.",
        ),
        Mistake(
            lambda ns: float(
                (_item(ns)["perception"] - _item(ns)["expectation"]).sum()
                / _survey(ns)["respondent_id"].nunique()
            ),
            f"you divided by every respondent of the survey, also those who left item {ITEM_Q1} blank "
            "(they have no row for it); average over those who answered it, as `.mean()` does.",
        ),
    ),
    explain=lambda value: f"Item {ITEM_Q1} scores {value:+.2f} points against expectations.",
)

q2 = Exercise(
    variable="let_down_on_every_item",
    question=(
        "How many respondents perceive the service below their own expectation on every one of "
        "the five reliability items (items 5 to 9)?"
    ),
    expected=_let_down_on_all,
    hint_text=(
        "Keep the reliability rows and mark each row with `perception < expectation`. Some "
        "respondents left items blank, and a blank item has no row: so count the marked rows of "
        "each respondent (group by `respondent_id`, `.sum()`) and keep those with all five."
    ),
    solution_code=(
        'rows = inputs.survey[inputs.survey["dimension"] == "reliability"]\n'
        'below = (rows["perception"] < rows["expectation"]).groupby(rows["respondent_id"]).sum()\n'
        'let_down_on_every_item = int((below == rows["item"].nunique()).sum())  # all 5 items\n'
    ),
    compare=equal,
    mistakes=(
        Mistake(
            lambda ns: int(_below_by_respondent(ns).any().sum()),
            "you counted the respondents let down on at least one item (`.any()`), not on every one.",
        ),
        Mistake(
            lambda ns: int(_below_by_respondent(ns).all().sum()),
            "you also counted respondents who left some reliability items blank: a blank item has "
            "no row, so `.all()` looks only at the items they answered, and nobody knows how they "
            "find the others. Count those below expectation on all five.",
        ),
        Mistake(
            lambda ns: int((_reliability_gap_by_respondent(ns) < 0).sum()),
            "you counted the respondents whose average reliability gap is negative: one item far "
            "below can hide others met. The question asks for every item.",
        ),
        Mistake(
            lambda ns: int((_reliability(ns)["perception"] < _reliability(ns)["expectation"]).sum()),
            "that is a number of answers (respondent and item), not of respondents: group by "
            "`respondent_id` first.",
        ),
    ),
    explain=lambda value: f"{value:,} respondents are let down on every reliability item.",
)

q3 = Exercise(
    variable="detractor_share",
    question=(
        "What share of the respondents are detractors in the Net Promoter sense, those who "
        "answered 0 to 6 to 'how likely are you to recommend us?'? Give a share between 0 and 1."
    ),
    expected=lambda ns: float((_recommend(ns) <= 6).mean()),
    hint_text=(
        "The survey repeats each respondent's `recommend` score on all their rows: take one per "
        'respondent with `inputs.survey.groupby("respondent_id")["recommend"].first()`, then '
        "`(scores <= 6).mean()`."
    ),
    solution_code=(
        'scores = inputs.survey.groupby("respondent_id")["recommend"].first().dropna()\n'
        "detractor_share = (scores <= 6).mean()\n"
    ),
    compare=close_to(0.005),
    mistakes=(
        Mistake(
            lambda ns: float((_recommend(ns) <= 7).mean()),
            "you counted the 7s as detractors: 7 and 8 are passives, neither promoters nor detractors.",
        ),
        Mistake(
            lambda ns: float((_recommend(ns) < 6).mean()),
            "you left out the 6s: a detractor answered 0 to 6, 6 included.",
        ),
        Mistake(
            lambda ns: float((_recommend(ns) >= 9).mean()),
            "that is the share of promoters (9 or 10), not of detractors.",
        ),
        Mistake(
            lambda ns: float((_survey(ns)["recommend"] <= 6).mean()),
            "that is a share of rows, not of respondents: a respondent has one row per item they "
            "answered, so those who answered more items count more. Take one score per respondent first.",
        ),
    ),
    explain=lambda value: f"{value:.1%} of the respondents are detractors.",
)

q4 = Exercise(
    variable="nps_let_down",
    question=(
        "What is the Net Promoter Score (in points, from -100 to +100) of the respondents who are "
        "let down on reliability, that is whose own average gap over the reliability items they "
        "answered is below 0?"
    ),
    expected=lambda ns: _nps_of(ns, _reliability_gap_by_respondent(ns).loc[lambda g: g < 0].index),
    hint_text=(
        "First each respondent's average reliability gap (group the reliability rows' "
        "`perception - expectation` by `respondent_id` and take the mean); keep the respondents "
        "below 0; then compute the NPS of their `recommend` scores: "
        "`((scores >= 9).mean() - (scores <= 6).mean()) * 100`."
    ),
    solution_code=(
        'rows = inputs.survey[inputs.survey["dimension"] == "reliability"]\n'
        'gap = (rows["perception"] - rows["expectation"]).groupby(rows["respondent_id"]).mean()\n'
        'scores = inputs.survey.groupby("respondent_id")["recommend"].first()\n'
        "scores = scores[gap[gap < 0].index].dropna()\n"
        "nps_let_down = ((scores >= 9).mean() - (scores <= 6).mean()) * 100\n"
    ),
    compare=close_to(0.05),
    mistakes=(
        Mistake(
            lambda ns: _nps_of(ns, _reliability_gap_by_respondent(ns).loc[lambda g: g <= 0].index),
            "you kept the respondents whose gap is exactly 0 too: their expectations were met, "
            "they are not let down. Keep the gaps below 0.",
        ),
        Mistake(
            lambda ns: _nps(_recommend(ns)),
            "that is the NPS of every respondent; keep only those let down on reliability.",
        ),
        Mistake(
            lambda ns: _nps_of(ns, _reliability_gap_by_respondent(ns).loc[lambda g: g >= 0].index),
            "you kept the respondents who are not let down (gap 0 or above); the question asks "
            "for those below 0.",
        ),
        Mistake(
            lambda ns: _nps(_rows_of(ns, _reliability_gap_by_respondent(ns).loc[lambda g: g < 0].index)),
            "that NPS counts rows, not respondents: a respondent has one row per item they answered, "
            "so those who answered more items count more. Take one `recommend` score per respondent.",
        ),
    ),
    explain=lambda value: (
        f"An NPS of {value:+.1f} points among the customers let down on reliability: compare it "
        "with the NPS of all respondents in the lesson."
    ),
)

q5 = Exercise(
    variable="reading",
    question=(
        "On the sample business, the lesson's table of the gap against purchases shows that the "
        "respondents with the biggest gap (below -1) spent the least on average, and those with a "
        "gap of 0 or above the most. Which reading is right?"
    ),
    expected=lambda ns: "c",
    hint_text=(
        "Two things: what a table of averages by band can show about cause and effect, and where "
        "the sample survey comes from."
    ),
    solution_code='reading = "c"',
    choices={
        "a": (
            "that reads a cause into an association. Customers who buy a lot also know the "
            "business better, which shapes what they expect and what they perceive; closing the "
            "gap need not raise anyone's spending by the difference between the bands."
        ),
        "b": (
            "a band with fewer respondents gives a less precise average, not a meaningless one; "
            "the table still shows how the gap goes with spending."
        ),
        "c": (
            "the table shows an association worth following up (for instance by watching whether "
            "spending changes once the gap closes), not its cause. And on the sample business it "
            "proves nothing: the generator of the sample data gave each kind of customer its "
            "own gap, so the link was built in."
        ),
        "d": (
            "the best customers being more demanding is one possible reason for the pattern, not "
            "a finding of the table; and which gap to close first is decided by what customers "
            "say matters and where they are let down (the importance-performance grid), not by "
            "who spends most."
        ),
    },
)
