# neurotool — the README's two commands are `make demo` and `make test`.
# Each installs what it needs (Debian packages, a pinned Python venv for the peers), builds and runs.

SHELL := /bin/bash
.DEFAULT_GOAL := help

APT_PACKAGES := pkg-config libhdf5-dev libnetcdf-dev libfftw3-dev libopenblas-dev liblapacke-dev zlib1g-dev libdeflate-dev libmatio-dev
VENV := .venv
PYTHON := $(VENV)/bin/python
NEUROTOOL := .build/release/neurotool
DEMO_OUT := out
REPORTS := Notebooks-exports

# The libFuzzer build of the fuzz targets (Tests/Fuzz): its own scratch directory, coverage and
# AddressSanitizer in every Swift module. `--sanitize=fuzzer` makes SwiftPM link libFuzzer's main; the
# combined -sanitize=fuzzer,address after it is what instruments each module (two separate -sanitize flags
# keep only the last).
FUZZ_BUILD := .build/fuzz
FUZZ := $(FUZZ_BUILD)/debug/neurotool-fuzz
FUZZ_SECONDS_CI := 3

.PHONY: help deps venv build test demo bench fixtures datasets clean fuzz fuzz-build

help:
	@echo "make demo      install deps, build, homogenize the embedded C. elegans and EEG sets, write the reports to $(REPORTS)/"
	@echo "make test      install deps and the pinned Python peers, build once, run every test once"
	@echo "make bench     benchmarks side by side with the Python peers (not part of make test)"
	@echo "make fixtures  regenerate the peer fixtures (Tests/Fixtures) with the pinned venv"
	@echo "make fuzz      fuzz every reader and analysis input with libFuzzer, SECONDS=60 each (SECONDS=600 for the long run; TARGETS=\"edf fif\" for some)"
	@echo "make datasets  regenerate Datasets/celegans, Datasets/ftag, Datasets/glmhmm and Datasets/meg with the pinned venv"

# Debian packages, installed only when missing (needs root, as on CI and the project's machines).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The pinned Python peers (numpy, scipy, h5py, netCDF4, xarray, pynwb, …): fixtures and cross-checks only,
# never a runtime dependency of neurotool.
venv: $(VENV)/.installed
$(VENV)/.installed: tools/python/requirements.txt
	@python3 -c "import venv, ensurepip" 2>/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-pip)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r tools/python/requirements.txt
	touch $@

build: deps
	swift build -c release --product neurotool

# Build once (debug, with tests and the neurotool executable the CLI tests run), test once.
# Tests run one at a time: several of them open the same fixture files, and netcdf-c/HDF5 do not
# support one process opening a file twice at the same time.
# Then every fuzz target runs for a few seconds (the crashers found so far are replayed by the tests).
test: deps venv
	swift build --build-tests
	OPENBLAS_NUM_THREADS=1 swift test --skip-build --no-parallel
	$(MAKE) fuzz SECONDS=$(FUZZ_SECONDS_CI)

fuzz-build: deps
	swift build --scratch-path $(FUZZ_BUILD) --product neurotool-fuzz --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING

SECONDS ?= 60
fuzz: fuzz-build
	tools/fuzz.sh $(FUZZ) $(SECONDS) $(TARGETS)

demo: build
	@mkdir -p $(DEMO_OUT) $(REPORTS)
	$(NEUROTOOL) homogenize --manifest Datasets/celegans/manifest.json -o $(DEMO_OUT)/celegans.nc
	$(NEUROTOOL) info $(DEMO_OUT)/celegans.nc
	$(NEUROTOOL) report $(DEMO_OUT)/celegans.nc -o $(REPORTS) --name celegans-homogenize
	$(NEUROTOOL) homogenize Datasets/eeg/test.edf Datasets/eeg/test.bdf Datasets/eeg/test.vhdr Datasets/meg/sim_raw.fif -o $(DEMO_OUT)/eeg.nc \
		--rate 256 --l-freq 1 --h-freq 40 --notch 50
	$(NEUROTOOL) info $(DEMO_OUT)/eeg.nc
	$(NEUROTOOL) report $(DEMO_OUT)/eeg.nc -o $(REPORTS) --name eeg-homogenize
	$(NEUROTOOL) ntf $(DEMO_OUT)/celegans.nc --tensor connectome --window 30 --min-worms 2 --ranks 1-5 --replicates 3 \
		--holdout 0.1 --seed 0 -o $(DEMO_OUT)/celegans-ntf.nc --report $(REPORTS) --name celegans-ntf
	$(NEUROTOOL) homogenize Datasets/ftag/ftag_demo.edf -o $(DEMO_OUT)/ftag-eeg.nc
	$(NEUROTOOL) ftag $(DEMO_OUT)/ftag-eeg.nc --tags 1,2,4 --tag-names sentence,phrase,word --epoch events:trial --duration 4 \
		-o $(DEMO_OUT)/eeg-ftag.nc --report $(REPORTS) --name eeg-ftag
	$(NEUROTOOL) glmhmm Datasets/glmhmm/counts.npy --names Datasets/glmhmm/names.txt --states 3 --prior gaussian \
		--test-fraction 0.2 --restarts 2 --iterations 50 --connectome Datasets/connectome/herm_full_edgelist.csv \
		-o $(DEMO_OUT)/glmhmm.nc --report $(REPORTS) --name glmhmm
	@echo "reports in $(REPORTS)/: celegans-homogenize, eeg-homogenize, celegans-ntf, eeg-ftag, glmhmm (.html and .md)"

bench: build venv
	$(PYTHON) Benchmarks/homogenize/make_data.py Benchmarks/.data/homogenize
	$(PYTHON) Benchmarks/homogenize/bench.py --neurotool $(NEUROTOOL) --data Benchmarks/.data/homogenize
	$(PYTHON) Benchmarks/eeg/make_data.py Benchmarks/.data/eeg
	$(PYTHON) Benchmarks/eeg/bench.py --neurotool $(NEUROTOOL) --data Benchmarks/.data/eeg
	$(VENV)/bin/pip install -q --disable-pip-version-check -r Benchmarks/ntf/requirements-optional.txt \
		|| echo "tensortools unavailable; skipping"
	$(PYTHON) Benchmarks/ntf/make_data.py Benchmarks/.data/ntf
	$(PYTHON) Benchmarks/ntf/bench.py --neurotool $(NEUROTOOL) --data Benchmarks/.data/ntf
	$(PYTHON) Benchmarks/ftag/make_data.py Benchmarks/.data/ftag
	$(PYTHON) Benchmarks/ftag/bench.py --neurotool $(NEUROTOOL) --data Benchmarks/.data/ftag
	$(PYTHON) Benchmarks/glmhmm/make_data.py Benchmarks/.data/glmhmm
	$(PYTHON) Benchmarks/glmhmm/bench.py --neurotool $(NEUROTOOL) --data Benchmarks/.data/glmhmm
	$(PYTHON) Benchmarks/fif/make_data.py Benchmarks/.data/fif
	$(PYTHON) Benchmarks/fif/bench.py --neurotool $(NEUROTOOL) --data Benchmarks/.data/fif

fixtures: venv
	$(PYTHON) tools/python/make_fixtures.py
	$(PYTHON) tools/python/make_eeg_fixtures.py
	$(PYTHON) tools/python/make_nwb_ecephys_fixtures.py
	$(PYTHON) tools/python/make_montage_swift.py
	$(PYTHON) tools/python/make_ntf_fixtures.py
	$(PYTHON) tools/python/make_ftag_fixtures.py
	$(PYTHON) tools/python/make_glmhmm_fixtures.py
	$(PYTHON) tools/python/make_fif_fixtures.py
	$(PYTHON) tools/python/make_eeglab_fixtures.py
	$(PYTHON) tools/python/make_matlab_v5_fixtures.py

datasets: venv
	$(PYTHON) Datasets/celegans/generate.py
	$(PYTHON) tools/python/make_ftag_demo.py
	$(PYTHON) Datasets/glmhmm/generate.py
	$(PYTHON) Datasets/meg/generate.py

clean:
	rm -rf .build $(DEMO_OUT) Benchmarks/.data
