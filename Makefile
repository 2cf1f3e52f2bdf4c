# The project's front door: `make test` and `make demo` work on a fresh clone (Python 3.10+, pip, venv).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The venv is made without its own pip (saves ~8 s); this Python's pip (22.3+) installs into it.
PIP := $(PYTHON) -m pip --python $(PY) install --quiet --disable-pip-version-check
BASE := $(VENV)/.installed-base
FULL := $(VENV)/.installed-test

.PHONY: test demo docs bench typecheck test-versions clean

# The package alone (urllib3 + certifi): all the demo needs, a few seconds on a fresh clone.
$(BASE): pyproject.toml requirements.txt
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PIP) -e .
	touch $@

# Everything the suite uses: the CLI extra, pytest, hypothesis, mypy, build tools, scim2 packages,
# and pip itself (the packaging tests and `.venv/bin/python -m pip` want it).
$(FULL): $(BASE) requirements-test.txt
	$(PIP) pip -e '.[test,cli]' -r requirements-test.txt
	touch $@

test: $(FULL)  ## ruff and mypy --strict, then the suite (about 5 minutes on 2 cores)
	$(PY) -m ruff check .
	$(PY) -m mypy --strict PureCloudPlatformClientV2
	$(PY) -m pytest -q

demo: $(BASE)  ## the quickstart against an embedded sandbox (under 20 s on a fresh clone)
	$(PY) examples/run_demo.py

docs: $(FULL)  ## regenerate docs/SCIMApi.md and docs/models/ from the code
	$(PY) tools/gendocs.py

bench: $(FULL)  ## the performance figures: about 10 minutes (OFFICIAL=/path/to/python to compare)
	@echo "make bench: about 10 minutes; figures follow"
	$(PY) bench/run.py $(if $(OFFICIAL),--official $(OFFICIAL),)

# The suite on every installed Python from 3.10 to 3.13 (a venv each, .venv-3.X); absent ones are skipped.
# TESTS="tests/core tests/cli" runs part of it; PYTHON_VERSIONS="3.10 3.13" limits the versions.
test-versions:
	tools/test_versions.sh $(TESTS)

typecheck: $(FULL)
	$(PY) -m mypy --strict PureCloudPlatformClientV2

clean:
	rm -rf $(VENV) .venv-3.* build dist .pytest_cache .mypy_cache .hypothesis
