# Two commands do all the set-up (see README.md):
#   make demo   install everything, run every playbook on the sample data, render the reports
#   make test   install everything, run the tests
#   make mutants  plant known bugs one at a time and check the tests catch each
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test mutants install browser benchmark lab clean

demo: $(STAMP)
	$(BIN)/surgery demo

test: $(STAMP)
	$(BIN)/python -m pytest

# Plant each bug listed in tools/mutations.py in a copy of the kit, one at a time, and check a
# test notices; exits non-zero if one is missed or an anchor is stale (see tools/mutants.py).
mutants: $(STAMP)
	$(BIN)/python tools/mutants.py

install: $(STAMP)

$(STAMP): pyproject.toml
	@# Debian's python3 lacks the venv module unless python3-venv is installed: fall back to virtualenv.
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); $(PYTHON) -m pip install --user --quiet virtualenv && $(PYTHON) -m virtualenv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,spark]'
	@$(MAKE) --no-print-directory browser
	@touch $(STAMP)

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
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } \
			|| { echo "make browser: could not install$$missing (apt-get's error is above)." >&2; exit 1; }; \
	elif [ -n "$$CI" ]; then \
		echo "make browser: missing$$missing, and it cannot be installed here (needs root and apt)." >&2; \
		echo "CI refuses to pass by skipping: install it with: sudo apt-get install$$missing" >&2; \
		exit 1; \
	else \
		echo "Not installed:$$missing (installing needs root and apt). The tests that need them will be"; \
		echo "skipped. Install with: sudo apt-get install$$missing"; \
	fi

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_runner.py

lab: $(STAMP)
	$(BIN)/surgery lab

clean:
	rm -rf $(VENV) reports playbooks/output .pytest_cache
