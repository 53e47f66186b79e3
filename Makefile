# Everything runs inside .venv, created on first use from the system python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install report test lab notebooks samples bench clean

# Reinstall only when the package's dependencies change.
$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(INSTALLED)

## The main job: the client report of the bundled sample business, in reports/sample/.
report: $(INSTALLED)
	$(BIN)/loyalty-lessons report --sample --output reports/sample

## The whole test suite: unit and property tests, docstring examples, and every lesson
## re-executed and compared with its stored outputs (nbval).
test: $(INSTALLED)
	$(BIN)/python -m pytest tests loyalty_lessons \
		--nbval --nbval-sanitize-with tests/nbval_sanitize.cfg $(wildcard notebooks/[0-9][0-9]-*.ipynb)

lab: $(INSTALLED)
	$(BIN)/jupyter lab notebooks/

## Re-run the lessons on the sample business and store their outputs.
notebooks: $(INSTALLED)
	$(BIN)/python tools/store_outputs.py

## Regenerate data/samples/ from the seeded generator.
samples: $(INSTALLED)
	$(BIN)/python -m loyalty_lessons.samples data/samples

## Speed and memory against plain pandas, on generated data (bench-data/, not committed).
bench: $(INSTALLED)
	$(BIN)/python benchmarks/bench.py $(SIZES)

clean:
	rm -rf $(VENV) reports build *.egg-info .pytest_cache
