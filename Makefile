# Two commands set kith up on a fresh machine: `make demo` and `make test`.
# Each creates the virtual environment in .venv on first use (uv if present, else pip).

VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin

.PHONY: demo test bench venv clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@if $(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install -q uv >/dev/null 2>&1; then \
		$(PYTHON) -m uv venv -q --allow-existing --python $(PYTHON) $(VENV) && \
		$(PYTHON) -m uv pip install -q --python $(BIN)/python --compile-bytecode -e ".[test]"; \
	else \
		$(PYTHON) -m venv $(VENV) && $(BIN)/pip install -q -e ".[test]"; \
	fi
	@touch $@

demo: venv
	$(BIN)/kith demo

test: venv
	$(BIN)/python -m pytest -q

bench: venv
	$(BIN)/python benchmarks/ingest.py

clean:
	rm -rf $(VENV)
