# Everything runs inside .venv, created on first use from the system python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The browser of the browser tests: Debian's own Chromium (never a downloaded one).
CHROMIUM := /usr/bin/chromium
# Java for the Spark engine's tests: Debian's own OpenJDK.
JAVA_PACKAGE := openjdk-17-jre-headless

.PHONY: install report test lint lab notebooks samples bench bench-room clean workshop chromium java

# Reinstall only when the package's dependencies change. The editable install maps
# data/samples/ and notebooks/ into the package, so setuptools installs it with an import hook
# and prints a notice saying so: that notice alone is silenced (any other warning still shows).
$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(INSTALLED)

## The main job: the client report of the bundled sample business, in reports/sample/.
report: $(INSTALLED)
	$(BIN)/loyalty-lessons report --sample --output reports/sample

## The whole test suite: unit and property tests, docstring examples, every lesson and
## exercise notebook, in English and in each translation (notebooks/fr/, it/, ru/),
## re-executed and compared with its stored outputs (nbval), the workshop
## dashboard and the lessons driven in Chromium (tests/browser), the Spark engine in local
## mode; ruff's lint and format check first.
test: lint chromium java
	$(BIN)/python -m pytest tests loyalty_lessons \
		--nbval --nbval-sanitize-with tests/nbval_sanitize.cfg $(wildcard notebooks/[0-9][0-9]-*.ipynb) \
		$(wildcard notebooks/exercises/[0-9][0-9]-*-exercises.ipynb) \
		$(wildcard notebooks/[a-z][a-z]/[0-9][0-9]-*.ipynb) \
		$(wildcard notebooks/[a-z][a-z]/exercises/[0-9][0-9]-*-exercises.ipynb)

## Lint and format check with ruff (rules in pyproject.toml).
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Chromium for the browser tests, from the system's packages when it is missing (as root,
## e.g. on a fresh CI machine); otherwise the browser tests say why they are skipped.
chromium:
	@test -x $(CHROMIUM) || { if [ "$$(id -u)" = 0 ]; then \
		apt-get update && apt-get install -y chromium; \
	else echo "$(CHROMIUM) is missing: sudo apt-get install chromium, to run the browser tests"; fi; }

## Java for the Spark engine (tests/test_spark*.py), from the system's packages when it is missing
## (as root); otherwise the Spark tests say why they are skipped.
java:
	@command -v java >/dev/null || test -n "$$JAVA_HOME" || { if [ "$$(id -u)" = 0 ]; then \
		apt-get update && apt-get install -y $(JAVA_PACKAGE); \
	else echo "java is missing: sudo apt-get install $(JAVA_PACKAGE), to run the Spark tests"; fi; }

## The lesson explorers as a dashboard on 127.0.0.1 (PORT=8866 to choose the port; SHARE=1 to let
## a room join from its laptops, behind a token; LANGUAGE=fr, it or ru for the pages' language,
## read from the command line only: the environment's LANGUAGE is the system's locale list;
## POOL=15 POOL_PAGES=index,the-80-20-rule: kernels kept ready for the pages a room opens together).
workshop: $(INSTALLED)
	$(BIN)/python -m loyalty_lessons.workshop $(if $(PORT),--port $(PORT)) $(if $(SHARE),--share) \
		$(if $(filter command line,$(origin LANGUAGE)),--language $(LANGUAGE)) \
		$(if $(POOL),--pool $(POOL)) $(if $(POOL_PAGES),--pool-pages $(POOL_PAGES))

lab: $(INSTALLED)
	$(BIN)/jupyter lab notebooks/

## Re-run the lessons and exercise notebooks (English and translations) on the sample business
## and store their outputs.
notebooks: $(INSTALLED)
	$(BIN)/python tools/store_outputs.py

## Regenerate data/samples/ from the seeded generator.
samples: $(INSTALLED)
	$(BIN)/python -m loyalty_lessons.samples data/samples

## Speed and memory against plain pandas, on generated data (bench-data/, not committed).
## ROOM=15 also runs the workshop room (bench-room); it needs Chromium and a few minutes.
bench: $(INSTALLED)
	$(BIN)/python benchmarks/bench.py $(SIZES) $(if $(REPEATS),--repeats $(REPEATS))
	$(if $(ROOM),$(BIN)/python benchmarks/workshop_room.py $(ROOM))

## A workshop room of 15 participants in Chromium (PARTICIPANTS=N to change; THINK=S: each pauses S seconds
## between two moves, as a person reading the chart): figures for docs/workshop.md.
bench-room: $(INSTALLED) chromium
	$(BIN)/python benchmarks/workshop_room.py $(or $(PARTICIPANTS),15) $(if $(THINK),--think $(THINK))

clean:
	rm -rf $(VENV) reports build *.egg-info .pytest_cache
