import dataclasses

import pandas as pd
import pytest

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.inputs import INPUTS_FILE, TABLES, Inputs, load_inputs


def test_sample_by_default():
    inputs = load_inputs()
    assert inputs.survey is not None and inputs.complaints is not None
    assert inputs.observation_end == inputs.transactions["date"].max()
    assert len(inputs.summary) == inputs.transactions["customer_id"].nunique()


def test_client_transactions_do_not_borrow_the_samples_survey_or_complaints():
    client = pd.DataFrame(
        {
            "customer_id": ["k1", "k2"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-05"]),
            "amount": [10.0, 20.0],
        }
    )
    inputs = load_inputs(client)  # survey and complaints left at "sample"
    assert inputs.survey is None and inputs.complaints is None
    assert sorted(inputs.reports) == ["transactions"]
    assert any("No complaints file was given" in n for n in inputs.reports["transactions"].notes)


def test_a_part_without_its_table_runs_on_the_sample_and_says_so():
    client = pd.DataFrame(
        {
            "customer_id": ["k1", "k2"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-05"]),
            "amount": [10.0, 20.0],
        }
    )
    inputs = load_inputs(client)
    part, notice = inputs.needing("survey", "complaints")
    sample = load_inputs()
    assert part.survey is not None and len(part.summary) == len(sample.summary)
    assert "survey and complaints" in str(notice) and "sample business" in str(notice)
    assert "survey = ..." in notice._repr_markdown_() and "complaints = ..." in str(notice)
    notes = inputs.load_notes()
    assert len(notes.lines) == 2 and notes._repr_markdown_().startswith("> **Notes.**")
    assert all(line.startswith("transactions: No ") for line in notes.lines)


def test_a_part_with_its_table_keeps_the_readers_data():
    inputs = load_inputs()
    part, notice = inputs.needing("survey")
    assert part is inputs and not notice and notice._repr_markdown_() is None


def test_needing_refuses_an_unknown_table():
    with pytest.raises(LoyaltyDataError, match="Unknown table"):
        load_inputs().needing("orders")


def test_observation_end_is_passed_to_the_summary():
    inputs = load_inputs(observation_end="2024-12-31", survey=None, complaints=None)
    assert inputs.observation_end == pd.Timestamp("2024-12-31")
    assert inputs.summary["last_purchase"].max() <= pd.Timestamp("2024-12-31")


# --------------------------------------------------------------------------- Inputs.save / Inputs.load


@pytest.fixture(scope="module")
def sample_inputs():
    return load_inputs()


def _assert_same_report(back, report):
    for f in dataclasses.fields(report):
        if f.name == "rejected":
            pd.testing.assert_frame_equal(back.rejected, report.rejected)
        else:
            assert getattr(back, f.name) == getattr(report, f.name), f.name


def test_saved_tables_round_trip(tmp_path, sample_inputs):
    assert sample_inputs.save(tmp_path) == tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "complaints.parquet",
        INPUTS_FILE,
        "survey.parquet",
        "transactions.parquet",
    ]
    back = Inputs.load(tmp_path)
    assert back.transactions == tmp_path / "transactions.parquet" and back.summary is None
    pd.testing.assert_frame_equal(pd.read_parquet(back.transactions), sample_inputs.transactions)
    for name in TABLES[1:]:
        pd.testing.assert_frame_equal(getattr(back, name), getattr(sample_inputs, name))
    for name in TABLES:
        _assert_same_report(back.reports[name], sample_inputs.reports[name])
    assert back.observation_end == sample_inputs.observation_end and back.meta == {}


def test_load_can_read_the_transactions_back_with_their_summary(tmp_path, sample_inputs):
    back = Inputs.load(sample_inputs.save(tmp_path), read_transactions=True)
    pd.testing.assert_frame_equal(back.transactions, sample_inputs.transactions)
    pd.testing.assert_frame_equal(back.summary, sample_inputs.summary)


def test_set_aside_rows_dates_and_meta_round_trip(tmp_path):
    export = tmp_path / "caisse.csv"
    export.write_text(
        "client;date;montant\nk1;03/01/2024;10,5\nk2;31/02/2024;4\n;05/01/2024;3\nk1;16/01/2024;-2\n",
        encoding="utf-8",
    )
    inputs = load_inputs(export, None, None, max_rejected_share=1.0)
    meta = {"name": "caisse.csv", "currency": "EUR", "uploaded": ["caisse.csv"]}
    back = Inputs.load(inputs._replace(meta=meta).save(tmp_path / "saved"), read_transactions=True)
    report = inputs.reports["transactions"]
    assert report.rows_rejected == 2 and report.refunds == 1
    _assert_same_report(back.reports["transactions"], report)
    assert back.meta == meta and back.survey is None and back.complaints is None
    assert sorted(p.name for p in (tmp_path / "saved").iterdir()) == [INPUTS_FILE, "transactions.parquet"]


def test_what_the_load_found_about_orders_is_saved(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(
        "customer;order;date;amount\nc1;T1;2024-02-25;10\nc1;T2;2024-03-25;5\n", encoding="utf-8"
    )
    inputs = load_inputs(transactions=export, survey=None, complaints=None, folder=tmp_path / "data")
    assert Inputs.load(inputs.save(tmp_path / "data")).reports["transactions"].one_line_orders


def test_save_refuses_transactions_written_elsewhere(tmp_path):
    inputs = load_inputs(folder=tmp_path / "one")
    with pytest.raises(LoyaltyDataError, match="not in"):
        inputs.save(tmp_path / "two")


def test_save_refuses_meta_that_is_not_json(tmp_path, sample_inputs):
    with pytest.raises(LoyaltyDataError, match="plain JSON"):
        sample_inputs._replace(meta={"end": pd.Timestamp("2024-01-01")}).save(tmp_path)


def test_load_without_its_file_says_so(tmp_path):
    with pytest.raises(LoyaltyDataError, match=f"{INPUTS_FILE} is missing"):
        Inputs.load(tmp_path)
