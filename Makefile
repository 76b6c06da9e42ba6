# Two commands do all the set-up (see README.md):
#   make demo   install the kit alone, run every playbook on the sample data, render the reports
#   make test   install the kit with its test and Spark extras, run the tests
#   make lab    install the kit alone, open JupyterLab on the playbooks (a session's, else on sample data)
#   make mutants  plant known bugs one at a time and check the tests catch each
# Each step says what it does, and pip shows every package as it comes (no --quiet): a first install
# takes minutes, and a silent terminal looks stuck. Windows has no make: README.md gives the commands.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# What is installed: the kit alone (demo, lab), or the kit with the test and Spark extras (test, mutants).
KIT_STAMP := $(VENV)/.installed-kit
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test mutants install install-test browser pdf-browser benchmark lab clean

demo: $(KIT_STAMP)
	$(BIN)/surgery demo

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

# Plant each bug listed in tools/mutations.py in a copy of the kit, one at a time, and check a
# test notices; exits non-zero if one is missed or an anchor is stale (see tools/mutants.py).
mutants: $(TEST_STAMP)
	$(BIN)/python tools/mutants.py

install: $(KIT_STAMP)

install-test: $(TEST_STAMP)

$(BIN)/python:
	@echo "==> [1/3] Making the virtual environment $(VENV) with $(PYTHON)"
	@# Debian's python3 lacks the venv module unless python3-venv is installed: fall back to virtualenv.
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); $(PYTHON) -m pip install --user virtualenv && $(PYTHON) -m virtualenv $(VENV); }
	$(BIN)/python -m pip install --upgrade pip

$(KIT_STAMP): pyproject.toml | $(BIN)/python
	@echo "==> [2/3] Installing the kit and the packages it runs on (about 150 packages, 1 GB; pip lists each)"
	$(BIN)/python -m pip install -e .
	$(BIN)/python -m helpers.spine.kernel
	@echo "==> [3/3] Chromium, for report.pdf (surgery run --pdf)"
	@$(MAKE) --no-print-directory pdf-browser
	@touch $(KIT_STAMP)

$(TEST_STAMP): $(KIT_STAMP) pyproject.toml
	@echo "==> Installing the test and Spark extras (pytest, Playwright, pyspark...; pip lists each)"
	$(BIN)/python -m pip install -e '.[test,spark]'
	@echo "==> Chromium, Java and strace for the browser, Spark and no-network tests"
	@$(MAKE) --no-print-directory browser
	@touch $(TEST_STAMP)

# Chromium alone, for `surgery run --pdf`: installed where it can be (root and apt-get), else a note
# saying how. Never fails: the demo's HTML reports need no browser, and Chrome or Edge also print
# (helpers/spine/pdf.py finds them in their usual folders, or SURGERY_CHROMIUM names one).
pdf-browser:
	@if [ -n "$$SURGERY_CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; then \
		echo "A browser to print PDFs with is installed."; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium (apt-get)..."; \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } \
			|| echo "Chromium could not be installed (apt-get's error is above): --pdf needs a browser."; \
	else \
		echo "No Chromium here: report.html is written either way. For --pdf, install Chromium, Chrome or"; \
		echo "Edge (Debian/Ubuntu: sudo apt-get install chromium), or set SURGERY_CHROMIUM to the browser."; \
	fi

# Debian packages the tests and reports need: Chromium prints report.pdf and runs the browser and
# accessibility tests (Debian's package, because Playwright's own browser download does not work
# offline); a Java runtime runs the Spark linkage test; strace watches the PDF printer for network
# use. A failed install stops make. Where nothing can be installed (no root, no apt) make stops
# under CI, and elsewhere warns that those tests will be skipped (the summary lists them).
SYSTEM_PACKAGES := chromium:chromium java:default-jre-headless strace:strace

browser:
	@missing=""; \
	for pair in $(SYSTEM_PACKAGES); do \
		command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -z "$$missing" ]; then \
		echo "Chromium: $$(command -v chromium); Java: $$(command -v java); strace: $$(command -v strace)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian packages:$$missing"; \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; } \
			|| { echo "make browser: could not install$$missing (apt-get's error is above)." >&2; exit 1; }; \
	elif [ -n "$$CI" ]; then \
		echo "make browser: missing$$missing, and it cannot be installed here (needs root and apt)." >&2; \
		echo "CI refuses to pass by skipping: install it with: sudo apt-get install$$missing" >&2; \
		exit 1; \
	else \
		echo "Not installed:$$missing (installing needs root and apt). The tests that need them will be"; \
		echo "skipped. Install with: sudo apt-get install$$missing"; \
	fi

benchmark: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench_runner.py

lab: $(KIT_STAMP)
	$(BIN)/surgery lab

clean:
	rm -rf $(VENV) reports playbooks/output .pytest_cache
