# The two commands: `make demo` and `make test`. Each sets up .venv when needed.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast test-postgres install lint bench clean coverage mutation

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt torch==2.13.0 -e '.[test,postgres,scrapyd]'
	$(BIN)/python -c "import torch,sys; sys.exit(torch.version.cuda is not None)" || (echo "a CUDA build of torch got installed; see constraints.txt" >&2; exit 1)
	HF_HUB_OFFLINE=1 $(BIN)/python -m ranking.onnx_bert  # the packaged MiniLM as an ONNX graph, built once (ranking/onnx_bert.py)
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/sourcing demo $(DEMO_ARGS)

# `make test`: the checks, then the suite under coverage.py (branch coverage, Scrapy/CLI children
# included; see [tool.coverage] in pyproject.toml), then a per-package table and a failure if the
# total is more than 1 point below tools/coverage_floor.txt. A failing test fails at the pytest
# line, with pytest's own output. With PYTEST_ARGS (a subset) the table is printed but the floor
# is not checked (a subset covers less; FLOOR_CHECK=--check forces it).
# `make test-fast`: the same checks and tests without coverage (about a third less CPU), for development.
FLOOR_CHECK ?= $(if $(PYTEST_ARGS),,--check)

test: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/lint-imports
	$(BIN)/deptry .
	rm -rf .coverage-data && mkdir -p .coverage-data
	HF_HUB_OFFLINE=1 $(BIN)/python -m coverage run -m pytest -q $(PYTEST_ARGS)
	$(BIN)/python -m coverage combine -q
	$(BIN)/python tools/coverage_summary.py $(FLOOR_CHECK) $(COVERAGE_ARGS)

test-fast: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/lint-imports
	$(BIN)/deptry .
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The Postgres pass (CI runs it after `make test`): a throwaway local PostgreSQL server.
test-postgres: $(STAMP)
	.ci/postgres-pass

# The covered run of `make test` without lint-imports/deptry. `make coverage COVERAGE_ARGS=--record`
# records a new floor (also `make test COVERAGE_ARGS=--record`).
coverage: $(STAMP)
	rm -rf .coverage-data && mkdir -p .coverage-data
	HF_HUB_OFFLINE=1 $(BIN)/python -m coverage run -m pytest -q $(PYTEST_ARGS)
	$(BIN)/python -m coverage combine -q
	$(BIN)/python tools/coverage_summary.py $(FLOOR_CHECK) $(COVERAGE_ARGS)

# Mutation testing of the modules that guard people's data (see [tool.mutmut]); slow, not in `make test`.
# `make mutation MUTANTS='ranking.jobspec.* ranking.explain.*'` runs only those mutants (fnmatch
# patterns of mutant names: module path, then x_<function> or xǁ<Class>ǁ<method>).
MUTANTS ?=
mutation: $(STAMP)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[mutation]'
	rm -rf mutants
	HF_HUB_OFFLINE=1 nice -n 10 $(BIN)/mutmut run --max-children 2 $(foreach m,$(MUTANTS),'$(m)'); HF_HUB_OFFLINE=1 $(BIN)/mutmut results | tail -n 40

bench: $(STAMP)
	for b in benchmarks/*.py; do HF_HUB_OFFLINE=1 $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
