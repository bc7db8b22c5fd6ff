# Fuzzing with libFuzzer (clang): the scenario loader and the readers of a results folder.
# Included from the Makefile.
#
#   make fuzz-build              the instrumented loader harness, build-fuzz/fuzz_scenario
#   make fuzz-loader             fuzz the loader for FUZZ_SECONDS (default 1800) from its seeds
#   make fuzz-regress            replay tests/fuzz/regressions/* and the seeds, no fuzzing
#   make fuzz-clean              remove build-fuzz/ and build-fuzz-results/
#   make fuzz-results-build      the results-folder harness, build-fuzz-results/fuzz_results
#   make fuzz-results            fuzz the results readers for FUZZ_RESULTS_SECONDS
#   make fuzz-results-regress    replay tests/fuzz/results_regressions/* and results_seeds/*
#   make fuzz                    both: the loader for FUZZ_SECONDS, then the results readers
#                                for FUZZ_RESULTS_SECONDS (default: the same)
#
# FUZZ_OPTS adds libFuzzer options (e.g. FUZZ_OPTS=-jobs=2). See tests/fuzz/README.md.

FUZZ_DIR := build-fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 1800
FUZZ_OPTS ?=
FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
            -fno-omit-frame-pointer
FUZZ_CFLAGS = $(STD) -g -O1 $(FUZZ_SAN) $(WARN) $(PKG_CFLAGS) $(CPPFLAGS) -MMD -MP

FUZZ_SRC := $(wildcard sim/*.c models/*.c) tests/fuzz/fuzz_one.c tests/fuzz/fuzz_scenario.c
FUZZ_OBJ := $(FUZZ_SRC:%.c=$(FUZZ_DIR)/%.o)
FUZZ_BIN := $(FUZZ_DIR)/fuzz_scenario
FUZZ_DICT := tests/fuzz/scenario.dict
# Seeds: every shipped scenario and the good and bad scenarios of the command-line tests (files
# only: tests/scenarios/bad/folder.cfg is a folder).
FUZZ_SEEDS = $(sort $(shell find scenarios tests/scenarios/bad tests/scenarios/good \
                 -type f -name '*.cfg' 2>/dev/null))
FUZZ_REGRESSIONS = $(sort $(wildcard tests/fuzz/regressions/*))
# Seeds written for the harness: include fixtures, a snapshot fixture, set lists, #set lines.
FUZZ_OWN_SEEDS = $(sort $(wildcard tests/fuzz/seeds/*))
# libconfig 1.5 leaks its string buffer when a text ends inside a string: suppressed, as in
# `make check`.
FUZZ_ENV = LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

.PHONY: fuzz fuzz-loader fuzz-build fuzz-corpus fuzz-regress fuzz-clean

$(FUZZ_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (fuzz)")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BIN): $(FUZZ_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -Wl,--wrap=fopen -Wl,--wrap=open -o $@ $^ $(PKG_LIBS) -lpthread -lm

fuzz-build: $(FUZZ_BIN)

# The corpus grows in build-fuzz/corpus; seeds are (re)copied into it on every run: each file,
# the file with two "#set" overrides appended (the harness applies "#set KEY=VALUE" lines with
# cfg_set), and its resolved text when it loads.
# Resolved texts of the scenario files (most start from a base, which text does not follow).
$(FUZZ_DIR)/resolve: tests/fuzz/resolve.c $(BUILD)/libccsim.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

fuzz-corpus: $(FUZZ_DIR)/resolve
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	$(Q)$(FUZZ_DIR)/resolve $(FUZZ_DIR)/corpus $(FUZZ_SEEDS)
	$(Q)for f in $(FUZZ_SEEDS); do \
	    n=$$(printf '%s' "$$f" | tr '/' '_'); \
	    cp "$$f" "$(FUZZ_DIR)/corpus/seed_$$n"; \
	    { cat "$$f"; printf '\n#set seed=3\n#set network.stations[0].servers=2\n'; } \
	        >"$(FUZZ_DIR)/corpus/seed_set_$$n"; \
	done
	$(Q)for f in $(FUZZ_REGRESSIONS); do cp "$$f" "$(FUZZ_DIR)/corpus/regression_$$(basename "$$f")"; done
	$(Q)for f in $(FUZZ_OWN_SEEDS); do cp "$$f" "$(FUZZ_DIR)/corpus/own_$$(basename "$$f")"; done

fuzz: fuzz-loader fuzz-results

fuzz-loader: fuzz-build fuzz-corpus
	$(FUZZ_ENV) $(FUZZ_BIN) -max_len=65536 -timeout=10 -rss_limit_mb=2048 -max_total_time=$(FUZZ_SECONDS) \
	    -dict=$(FUZZ_DICT) -artifact_prefix=$(FUZZ_DIR)/artifacts/ -print_final_stats=1 \
	    $(FUZZ_OPTS) $(FUZZ_DIR)/corpus

# Given files rather than a folder, libFuzzer runs each once and stops at the first failure.
fuzz-regress: fuzz-build
	$(Q)$(FUZZ_ENV) $(FUZZ_BIN) -timeout=10 -rss_limit_mb=2048 $(FUZZ_REGRESSIONS) $(FUZZ_OWN_SEEDS) \
	    $(FUZZ_SEEDS) 2>$(FUZZ_DIR)/regress.log \
	    && echo "fuzz-regress: $(words $(FUZZ_REGRESSIONS)) regression inputs and $(words $(FUZZ_OWN_SEEDS) $(FUZZ_SEEDS)) seeds pass" \
	    || { tail -n 60 $(FUZZ_DIR)/regress.log; echo "fuzz-regress: FAILED (log: $(FUZZ_DIR)/regress.log)"; exit 1; }

fuzz-clean:
	rm -rf $(FUZZ_DIR) $(FUZZ_RESULTS_DIR)

-include $(FUZZ_OBJ:.o=.d)

# ---- The readers of a results folder (tests/fuzz/fuzz_results.c) ----------------------------
# Its own object folder: the analysis layer is built too, which the loader harness leaves out.
FUZZ_RESULTS_DIR := build-fuzz-results
FUZZ_RESULTS_SECONDS ?= $(FUZZ_SECONDS)
FUZZ_RESULTS_SRC := $(wildcard sim/*.c models/*.c analysis/*.c) tests/fuzz/fuzz_results.c
FUZZ_RESULTS_OBJ := $(FUZZ_RESULTS_SRC:%.c=$(FUZZ_RESULTS_DIR)/%.o)
FUZZ_RESULTS_BIN := $(FUZZ_RESULTS_DIR)/fuzz_results
FUZZ_RESULTS_REGRESSIONS = $(sort $(wildcard tests/fuzz/results_regressions/*))
FUZZ_RESULTS_SEEDS = $(sort $(wildcard tests/fuzz/results_seeds/*))
FUZZ_RESULTS_DICT := tests/fuzz/results.dict

.PHONY: fuzz-results fuzz-results-build fuzz-results-regress

$(FUZZ_RESULTS_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (fuzz-results)")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_RESULTS_DIR)/gitrev.stamp: FORCE
	@mkdir -p $(FUZZ_RESULTS_DIR)
	@echo '$(GIT_REV)' | cmp -s - $@ 2>/dev/null || echo '$(GIT_REV)' >$@
$(FUZZ_RESULTS_DIR)/analysis/manifest.o: $(FUZZ_RESULTS_DIR)/gitrev.stamp

$(FUZZ_RESULTS_BIN): $(FUZZ_RESULTS_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -o $@ $^ $(PKG_LIBS) -lpthread -lm

fuzz-results-build: $(FUZZ_RESULTS_BIN)

# The corpus grows in build-fuzz-results/corpus, seeded on every run with the seeds and the
# regression inputs. Each input is a whole results folder (see fuzz_results.c).
fuzz-results: fuzz-results-build
	@mkdir -p $(FUZZ_RESULTS_DIR)/corpus $(FUZZ_RESULTS_DIR)/artifacts
	$(Q)for f in $(FUZZ_RESULTS_SEEDS); do cp "$$f" "$(FUZZ_RESULTS_DIR)/corpus/seed_$$(basename "$$f")"; done
	$(Q)for f in $(FUZZ_RESULTS_REGRESSIONS); do cp "$$f" "$(FUZZ_RESULTS_DIR)/corpus/regression_$$(basename "$$f")"; done
	$(FUZZ_ENV) $(FUZZ_RESULTS_BIN) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	    -max_total_time=$(FUZZ_RESULTS_SECONDS) -dict=$(FUZZ_RESULTS_DICT) \
	    -artifact_prefix=$(FUZZ_RESULTS_DIR)/artifacts/ -print_final_stats=1 \
	    $(FUZZ_OPTS) $(FUZZ_RESULTS_DIR)/corpus

fuzz-results-regress: fuzz-results-build
	$(Q)$(FUZZ_ENV) $(FUZZ_RESULTS_BIN) -timeout=10 -rss_limit_mb=2048 $(FUZZ_RESULTS_REGRESSIONS) \
	    $(FUZZ_RESULTS_SEEDS) 2>$(FUZZ_RESULTS_DIR)/regress.log \
	    && echo "fuzz-results-regress: $(words $(FUZZ_RESULTS_REGRESSIONS)) regression inputs and $(words $(FUZZ_RESULTS_SEEDS)) seeds pass" \
	    || { tail -n 60 $(FUZZ_RESULTS_DIR)/regress.log; echo "fuzz-results-regress: FAILED (log: $(FUZZ_RESULTS_DIR)/regress.log)"; exit 1; }

-include $(FUZZ_RESULTS_OBJ:.o=.d)
