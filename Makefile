# The two commands: `make demo` and `make test`. Each sets up .venv when needed.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-postgres install lint bench clean coverage mutation

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt torch==2.13.0 -e '.[test,postgres,scrapyd]'
	$(BIN)/python -c "import torch,sys; sys.exit(torch.version.cuda is not None)" || (echo "a CUDA build of torch got installed; see constraints.txt" >&2; exit 1)
	HF_HUB_OFFLINE=1 $(BIN)/python -m ranking.onnx_bert  # the packaged MiniLM as an ONNX graph, built once (ranking/onnx_bert.py)
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/sourcing demo $(DEMO_ARGS)

test: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/lint-imports
	$(BIN)/deptry .
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The Postgres pass (CI runs it after `make test`): a throwaway local PostgreSQL server.
test-postgres: $(STAMP)
	.ci/postgres-pass

# The suite under coverage.py (branch coverage, Scrapy/CLI children included; see [tool.coverage]
# in pyproject.toml), a per-package table, and a failure if the total is more than 1 point below
# tools/coverage_floor.txt. `make coverage COVERAGE_ARGS=--record` records a new floor.
coverage: $(STAMP)
	rm -rf .coverage-data && mkdir -p .coverage-data
	HF_HUB_OFFLINE=1 $(BIN)/python -m coverage run -m pytest -q $(PYTEST_ARGS)
	$(BIN)/python -m coverage combine -q
	$(BIN)/python tools/coverage_summary.py --check $(COVERAGE_ARGS)

# Mutation testing of the modules that guard people's data (see [tool.mutmut]); slow, not in `make test`.
mutation: $(STAMP)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[mutation]'
	rm -rf mutants
	HF_HUB_OFFLINE=1 nice -n 10 $(BIN)/mutmut run --max-children 2; HF_HUB_OFFLINE=1 $(BIN)/mutmut results | tail -n 40

bench: $(STAMP)
	for b in benchmarks/*.py; do HF_HUB_OFFLINE=1 $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
