# smpsim: the two commands of the README, and their parts.
#   make demo  - install what is missing, build (Release), run the design-review sweep, write plots
#   make test  - install what is missing, build with warnings as errors, run Catch2 (ctest) and pytest
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
VENV  := .venv
SMPSIM := $(BUILD)/smpsim
DEMO_SCENARIO := scenarios/ticket_vs_mcs.json
DEMO_OUT := out/ticket_vs_mcs

.PHONY: demo test deps build sweep plot clean

deps:
	@bash scripts/setup-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(if $(WERROR),-DSMPSIM_WERROR=$(WERROR)) > $(BUILD).cmake.log 2>&1 || (cat $(BUILD).cmake.log; exit 1)
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(SMPSIM) sweep $(DEMO_SCENARIO) --cores 1-48 --jobs $(JOBS) --out $(DEMO_OUT)
	$(VENV)/bin/smpsim-plot $(DEMO_OUT)/results.jsonl --out $(DEMO_OUT)
	@echo
	@echo "smpsim demo: results in $(DEMO_OUT)/"
	@echo "  $(DEMO_OUT)/results.jsonl  one JSON result per (variant, cores) point"
	@echo "  $(DEMO_OUT)/summary.csv    one row per point: variant, cores, throughput_per_s, speedup, ..."
	@echo "  $(DEMO_OUT)/speedup.png    speedup vs cores (also speedup.svg)"

test:
	$(MAKE) build WERROR=ON
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	SMPSIM=$(abspath $(SMPSIM)) $(VENV)/bin/python -m pytest -q tests/py

clean:
	rm -rf $(BUILD) $(BUILD).cmake.log out
