# synthscan: the two commands the README opens with, and a few helpers.
# Run as root on a fresh machine: `make demo` installs what is missing (apt-get), builds in
# release mode and scans the bundled example data; `make test` runs the whole test suite.

SWIFT ?= swift
DEMO_DIR := .build/demo

.PHONY: demo test deps build bench bench-peers examples embed-rules validate-sarif clean man completions

# System libraries: Debian's libxxhash-dev (xxHash) and zlib1g-dev (gzip input), installed only when absent.
deps:
	@if [ ! -f /usr/include/xxhash.h ] || [ ! -f /usr/include/zlib.h ]; then \
		echo "Installing libxxhash-dev and zlib1g-dev (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxxhash-dev zlib1g-dev pkg-config >/dev/null; \
	fi

build: deps
	$(SWIFT) build -c release --product synthscan

# Scans the leaky example release: prints a summary, writes SARIF, JSON and the release card, and shows the exit code.
demo: build
	@mkdir -p $(DEMO_DIR)
	cd Examples && ../.build/release/synthscan scan --config synthscan.yaml \
		--sarif ../$(DEMO_DIR)/synthetic_copies.sarif --json ../$(DEMO_DIR)/synthetic_copies.json --source-root .. \
		--card ../$(DEMO_DIR)/card.md ; \
		status=$$?; echo "exit code $$status (1 = findings at or above --fail-on)"; \
		echo "SARIF: $(DEMO_DIR)/synthetic_copies.sarif"; echo "Release card: $(DEMO_DIR)/card.md (verify: synthscan card verify $(DEMO_DIR)/card.md --config Examples/synthscan.yaml)"; \
		[ $$status -le 1 ]

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Load throughput and peak memory on a generated 1M x 20 CSV (release build).
bench: deps
	$(SWIFT) build -c release --product synthscan-bench
	.build/release/synthscan-bench

# synthscan against SDMetrics' DCR metrics, scikit-learn's NearestNeighbors and anonymeter's inference
# attack on the same generated files (Benchmarks/peers/README.md). On demand only: it installs the
# pinned Python packages into a throwaway virtualenv. At 20k rows SDMetrics needs ~40 CPU-minutes per
# metric, over the 30-minute limit: it reports how far it got and reruns on 5k rows (~1 h in all).
PEERS_ROWS ?= 20000
PEERS_VENV ?= /tmp/peers-venv
bench-peers: deps
	$(SWIFT) build -c release --scratch-path .build-peers --product synthscan
	$(SWIFT) build -c release --scratch-path .build-peers --product synthscan-bench
	@[ -x $(PEERS_VENV)/bin/python ] || python3.11 -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install -q -r Benchmarks/peers/requirements.txt
	$(PEERS_VENV)/bin/python Benchmarks/peers/run_peers.py --rows $(PEERS_ROWS) --parallel-sdmetrics \
		--synthscan .build-peers/release/synthscan --bench .build-peers/release/synthscan-bench \
		--json .build-peers/peers-$(PEERS_ROWS).json

# Regenerates Examples/ from the deterministic generator.
examples:
	$(SWIFT) run synthscan-examples Examples

# Regenerates the embedded copy of Rules/core after editing it.
embed-rules:
	bash scripts/embed-core-pack.sh

validate-sarif:
	python3 scripts/validate_sarif.py $(DEMO_DIR)/synthetic_copies.sarif

clean:
	rm -rf .build

# Man pages (one per subcommand) from the argument parser's declarations (swift-argument-parser's GenerateManual plugin).
man:
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --multi-page
	@echo "man pages: .build/plugins/GenerateManual/outputs/synthscan/ (man -l .build/plugins/GenerateManual/outputs/synthscan/synthscan.1)"

# Shell completion scripts for bash, zsh and fish, from the same declarations.
completions: build
	@mkdir -p .build/completions
	.build/release/synthscan --generate-completion-script bash > .build/completions/synthscan.bash
	.build/release/synthscan --generate-completion-script zsh > .build/completions/_synthscan
	.build/release/synthscan --generate-completion-script fish > .build/completions/synthscan.fish
	@echo "completions: .build/completions/ (bash: source synthscan.bash; zsh: put _synthscan on \$$fpath; fish: ~/.config/fish/completions/)"
