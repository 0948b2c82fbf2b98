#!/usr/bin/env bash
# Runs the demo clinic and every `make check-synthea` export from one fixed surrogate store and writes one
# sha256 per output file to build/digest/TAG/<run>.sha256 (scripts/output_digest.py), so that two commits
# can be compared byte for byte:  scripts/digest_runs.sh before; ...; scripts/digest_runs.sh after;
# diff -r build/digest/before build/digest/after --include='*.sha256'
# SHARED: the folder of the external exports (default ../shared/data/external).
set -euo pipefail
cd "$(dirname "$0")/.."
TAG=${1:?usage: scripts/digest_runs.sh TAG}
D=build/digest/$TAG
S=${SHARED:-../shared/data/external}
B=.venv/bin
mkdir -p "$D"
[ -d build/digest/demo_clinic ] || $B/clinetl synth --patients 12 --out build/digest/demo_clinic >/dev/null
run() {
  name=$1; shift
  $B/python scripts/output_digest.py prepare "$D/$name.out" --store build/digest/store.sqlite3
  $B/clinetl run --out "$D/$name.out" "$@" > "$D/$name.log" 2>&1 || echo "$name: exit $?"
  $B/python scripts/output_digest.py digest "$D/$name.out" > "$D/$name.sha256"
}
run demo --source build/digest/demo_clinic
run ca59 --source "$S/synthea-ca59-andrew-nguyen" --config examples/synthea_fhir_notes.yaml
run ca59fhir --source "$S/synthea-ca59-andrew-nguyen" --config examples/synthea_fhir_only.yaml
run ne111 --source "$S/synthea-ne111-unmc-crane"
run ne111ds --source "$S/synthea-ne111-unmc-crane" --config examples/date_shift.yaml
run ccda --source "$S/synthea-ccda-sample-data"
echo "digests in $D"
