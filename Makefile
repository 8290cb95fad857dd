# Two commands a newcomer needs: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test

.PHONY: demo test install lint schema train evaluate bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/vnreport extract corpus/a01_tan-hoa-tong-ket-xay-dung-dang.txt --pretty

test: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/python -m pytest
	$(BIN)/python -m mypy --strict src/vnreport_extract/__init__.py src/vnreport_extract/schema.py src/vnreport_extract/pipeline.py src/vnreport_extract/errors.py src/vnreport_extract/spacy_component.py src/vnreport_extract/tokenizer.py src/vnreport_extract/parallel.py tests/test_api_typing.py

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts

schema: $(STAMP)
	$(BIN)/vnreport schema > schema/report.schema.json

train: $(STAMP)
	$(BIN)/python scripts/train.py

evaluate: $(STAMP)
	$(BIN)/python scripts/evaluate.py

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache build *.egg-info
