"""The practices of the workshop scorecard and its rating scale, as plain data.

The practices the source documents recommend: seven steps to build loyalty
[it-loyalty-steps], seven tips to earn and keep it [ru-loyalty-tips] and the three
components of customer care [it-customer-care]. Each is a dict with ``id``, ``source`` (the
citation key of docs/sources.md), ``group``, ``practice`` (short name), ``description`` (one
sentence) and, optionally, ``fact`` and ``fact_source`` (a figure from the sources showing why
neglecting it is costly).

The data live apart from :mod:`loyalty_lessons.scorecard` (which re-exports them, and
computes on them with pandas) so that a participant's page of the workshop's scorecard
together reads them without importing pandas.
"""

from __future__ import annotations

__all__ = ["GENERAL_FACT", "PRACTICES", "SCALE"]

_STEPS = "it-loyalty-steps"
_CARE = "it-customer-care"
_MONITOR = "fr-monitoring-loyalty"
_TIPS = "ru-loyalty-tips"
_VALUE = "fr-loyalty-value"

#: The rating scale: lowest and highest score.
SCALE: tuple[int, int] = (1, 5)

#: Why it matters, for a practice whose entry carries no fact of its own.
GENERAL_FACT = {
    "fact": "Keeping a customer costs 3 to 10 times less than winning a new one.",
    "fact_source": _TIPS,
}

#: The practices the source documents recommend, in the order of the scorecard.
PRACTICES: list[dict[str, str]] = [
    # Seven steps to build loyalty (000).
    {
        "id": "hire_right_people",
        "source": _STEPS,
        "group": "Seven steps to build loyalty",
        "practice": "Hire the right people",
        "description": "Take time to recruit friendly people who enjoy serving customers.",
    },
    {
        "id": "memorable_service",
        "source": _STEPS,
        "group": "Seven steps to build loyalty",
        "practice": "Make the service memorable",
        "description": "Aim beyond correct service, for visits customers feel attached to.",
        "fact": "A customer who feels emotionally attached spends 46% more than one who is "
        "merely satisfied, says a source quoting a Gallup survey it does not name.",
        "fact_source": _STEPS,
    },
    {
        "id": "performance_standards",
        "source": _STEPS,
        "group": "Seven steps to build loyalty",
        "practice": "Set service standards",
        "description": "Tell staff plainly how you expect them to greet, talk to and help customers.",
    },
    {
        "id": "continuous_training",
        "source": _STEPS,
        "group": "Seven steps to build loyalty",
        "practice": "Train and retrain",
        "description": "Practise service skills regularly, not only when someone is hired.",
    },
    {
        "id": "reward_good_service",
        "source": _STEPS,
        "group": "Seven steps to build loyalty",
        "practice": "Reward good service",
        "description": "Recognise staff who go beyond the standards and coach those who fall short.",
    },
    {
        "id": "survey_and_cut_defection",
        "source": _STEPS,
        "group": "Seven steps to build loyalty",
        "practice": "Survey customers, track defection",
        "description": "Ask your best customers for scores every month, show them to staff "
        "and follow who stops buying.",
        "fact": "94 of 100 unhappy customers leave without complaining, and each tells 5 to 20 other people.",
        "fact_source": _MONITOR,
    },
    {
        "id": "welcome_complaints",
        "source": _STEPS,
        "group": "Seven steps to build loyalty",
        "practice": "Welcome complaints",
        "description": "Treat every complaint as free advice and answer it quickly and gladly.",
        "fact": "Behind each complaint stand at least ten customers with the same criticism.",
        "fact_source": _STEPS,
    },
    # Seven tips to earn loyalty (003).
    {
        "id": "personal_treatment",
        "source": _TIPS,
        "group": "Seven tips to earn loyalty",
        "practice": "Treat customers personally",
        "description": "Know customers by name, remember what they like and keep in touch.",
    },
    {
        "id": "educate_customers",
        "source": _TIPS,
        "group": "Seven tips to earn loyalty",
        "practice": "Educate customers",
        "description": "Show customers, with articles or videos, what you do and why you do it well.",
    },
    {
        "id": "employee_loyalty",
        "source": _TIPS,
        "group": "Seven tips to earn loyalty",
        "practice": "Be loyal to your staff",
        "description": "Inform and train your team well; staff who feel backed pass loyalty on to customers.",
    },
    {
        "id": "existing_customers_first",
        "source": _TIPS,
        "group": "Seven tips to earn loyalty",
        "practice": "Value existing customers",
        "description": "Reward the customers you have at least as well as the ones you court.",
        "fact": "Keeping a customer costs 3 to 10 times less than winning a new one.",
        "fact_source": _TIPS,
    },
    {
        "id": "stable_terms",
        "source": _TIPS,
        "group": "Seven tips to earn loyalty",
        "practice": "Keep terms and prices stable",
        "description": "Avoid sudden price rises and keep the conveniences customers rely on.",
    },
    {
        "id": "reliable_and_flexible",
        "source": _TIPS,
        "group": "Seven tips to earn loyalty",
        "practice": "Keep promises, stay flexible",
        "description": "Do what you said you would; when it goes wrong, warn, make amends "
        "and bend the rules.",
        "fact": "It takes ten good experiences to make up for a single bad one.",
        "fact_source": _TIPS,
    },
    {
        "id": "service_never_slips",
        "source": _TIPS,
        "group": "Seven tips to earn loyalty",
        "practice": "Don't let service slip",
        "description": "As the business grows, keep someone responsible for how customers are served.",
        "fact": "A customer with a good experience tells eight people about it.",
        "fact_source": _TIPS,
    },
    # Three components of customer care (001).
    {
        "id": "customer_service",
        "source": _CARE,
        "group": "Three components of customer care",
        "practice": "Customer service",
        "description": "The way customers are served, showing the values of the business; "
        "the base of the other two.",
    },
    {
        "id": "customer_satisfaction",
        "source": _CARE,
        "group": "Three components of customer care",
        "practice": "Customer satisfaction",
        "description": "Meeting expectations that keep changing with advertising, past visits "
        "and what others say.",
        "fact": "In a source's invented example, a loyal customer spends USD 900 a year against "
        "USD 600 for one who is only satisfied: USD 1,500 more over five years.",
        "fact_source": _VALUE,
    },
    {
        "id": "customer_retention",
        "source": _CARE,
        "group": "Three components of customer care",
        "practice": "Customer retention",
        "description": "Building lasting relationships with current customers, with steady "
        "commitment rather than a one-off scheme.",
        "fact": "A business loses 15 to 20% of its customers a year to competitors.",
        "fact_source": _STEPS,
    },
]
