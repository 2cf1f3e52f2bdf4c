# The project's front door: `make test` and `make demo` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test demo docs bench typecheck clean

$(STAMP): setup.py requirements.txt requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,cli]' -r requirements-test.txt
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m mypy --strict PureCloudPlatformClientV2
	$(PY) -m pytest -q -p no:cacheprovider tests

demo: $(STAMP)
	$(PY) examples/run_demo.py

docs: $(STAMP)
	$(PY) tools/gendocs.py

bench: $(STAMP)
	$(PY) bench/run.py $(if $(OFFICIAL),--official $(OFFICIAL),)

typecheck: $(STAMP)
	$(PY) -m mypy --strict PureCloudPlatformClientV2

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .hypothesis
