import pandas as pd

from loyalty_lessons.inputs import load_inputs


def test_sample_by_default():
    inputs = load_inputs()
    assert inputs.survey is not None and inputs.complaints is not None
    assert inputs.observation_end == inputs.transactions["date"].max()
    assert len(inputs.summary) == inputs.transactions["customer_id"].nunique()


def test_client_transactions_do_not_borrow_the_samples_survey_or_complaints():
    client = pd.DataFrame({"customer_id": ["k1", "k2"], "date": pd.to_datetime(["2024-01-01", "2024-01-05"]),
                           "amount": [10.0, 20.0]})
    inputs = load_inputs(client)  # survey and complaints left at "sample"
    assert inputs.survey is None and inputs.complaints is None
    assert sorted(inputs.reports) == ["transactions"]
    assert any("No complaints was given" in n or "No complaints were given" in n
               for n in inputs.reports["transactions"].notes)


def test_observation_end_is_passed_to_the_summary():
    inputs = load_inputs(observation_end="2024-12-31", survey=None, complaints=None)
    assert inputs.observation_end == pd.Timestamp("2024-12-31")
    assert inputs.summary["last_purchase"].max() <= pd.Timestamp("2024-12-31")
