# Two commands do all the set-up (see README.md):
#   make demo   install everything, run every playbook on the sample data, render the reports
#   make test   install everything, run the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install browser benchmark lab clean

demo: $(STAMP)
	$(BIN)/surgery demo

test: $(STAMP)
	$(BIN)/python -m pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	@# Debian's python3 lacks the venv module unless python3-venv is installed: fall back to virtualenv.
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); $(PYTHON) -m pip install --user --quiet virtualenv && $(PYTHON) -m virtualenv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,spark]'
	@$(MAKE) --no-print-directory browser
	@touch $(STAMP)

# Chromium prints report.pdf and runs the browser tests. Debian's package is used because
# Playwright's own browser download does not work offline. Where it cannot be installed
# (no root, no apt), PDFs fail with a clear message and the browser tests are skipped.
# Debian's strace comes with it, for the test that printing makes no network connection.
browser:
	@if command -v chromium >/dev/null 2>&1; then \
		echo "Chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium package..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "Could not install Chromium: PDF output and browser tests will be skipped."; \
	else \
		echo "Chromium not found and cannot be installed here (needs root and apt):"; \
		echo "PDF output and browser tests will be skipped. Install it with: sudo apt-get install chromium"; \
	fi
	@# strace: the test that --pdf makes no network connection watches Chromium's connect() calls.
	@if command -v strace >/dev/null 2>&1; then \
		echo "strace: $$(command -v strace)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq strace >/dev/null) \
			|| echo "Could not install strace: the no-network test of --pdf will be skipped."; \
	else \
		echo "strace not found: the no-network test of --pdf will be skipped (sudo apt-get install strace)."; \
	fi

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_runner.py

lab: $(STAMP)
	$(BIN)/surgery lab

clean:
	rm -rf $(VENV) reports playbooks/output .pytest_cache
