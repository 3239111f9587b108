# smpsim: the two commands of the README, and their parts.
#   make demo  - install what is missing, build (Release), run the lock sweep and the design review
#                (3 designs x 4 workloads x 1-48 CPUs), write plots and the HTML report
#   make test  - install what is missing, build with warnings as errors, run Catch2 (ctest) and pytest,
#                the Catch2 suite under ASan + UBSan (clang), and the scenario fuzzer for FUZZ_SECONDS (120)
#                in the same sanitized build
#   make check - the first part only (build, ctest, pytest): the quick loop while developing
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
VENV  := .venv
SMPSIM := $(BUILD)/smpsim
DEMO_SCENARIO := scenarios/ticket_vs_mcs.json
DEMO_OUT := out/ticket_vs_mcs
REVIEW_OUT := out/design_review

.PHONY: demo test check sanitize fuzz library bench golden deps build sweep plot clean

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
	$(SMPSIM) sweep scenarios/design_review.json --jobs $(JOBS) --out $(REVIEW_OUT) --quiet
	$(VENV)/bin/smpsim-report $(DEMO_OUT) --out $(DEMO_OUT)/report > /dev/null
	$(VENV)/bin/smpsim-report $(REVIEW_OUT) --out $(REVIEW_OUT)/report > /dev/null
	@echo "  $(DEMO_OUT)/report/index.html  the lock sweep's report"
	@echo "smpsim demo: design review report: $(REVIEW_OUT)/report/index.html"

# Every seed's claim as an experiment: a sweep, a report and a verdict each (docs/library.md).
library: build
	SMPSIM=$(abspath $(SMPSIM)) $(VENV)/bin/smpsim-library --out out/library --jobs $(JOBS)

# Golden outputs of the example scenarios (tests/golden/, checked by tests/py/test_golden.py): after reviewing
# what changed (`python3 scripts/golden.py build/smpsim` prints the diff), rewrite them and the docs' quoted numbers.
golden: build
	python3 scripts/golden.py $(SMPSIM) --update

# Speed and memory against the targets (docs/performance.md); BENCH_ARGS="--scale 10" for a quick look.
bench: build
	BUILD=$(abspath $(BUILD)) python3 bench/run.py --jobs $(JOBS) $(BENCH_ARGS)

test: check sanitize fuzz

check:
	$(MAKE) build WERROR=ON
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	SMPSIM=$(abspath $(SMPSIM)) $(VENV)/bin/python -m pytest -q -n $(JOBS) --dist loadfile tests/py

# The Catch2 suite built with AddressSanitizer + UndefinedBehaviorSanitizer (simulated CPUs as threads).
# One clang build (scripts/sanitized-build.sh) serves this and the fuzzer.
sanitize: deps
	JOBS=$(JOBS) bash scripts/sanitized-build.sh
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# The scenario loader under libFuzzer (clang), FUZZ_SECONDS long; docs/reliability.md.
FUZZ_SECONDS ?= 120
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

clean:
	rm -rf $(BUILD) $(BUILD).cmake.log build-asan build-asan.cmake.log build-asan.log out
