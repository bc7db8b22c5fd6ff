# ccsim — one plain Makefile. See README.md for the targets a user needs.

VERSION := 0.1.0
PREFIX ?= /usr/local
# Where make install puts the scenarios, the documents and the manual page (DESTDIR in front of
# each for a staged install); the program looks for its scenarios and documents there.
DATADIR = $(PREFIX)/share/ccsim
DOCDIR = $(PREFIX)/share/doc/ccsim
MANDIR = $(PREFIX)/share/man/man1

CC ?= cc
PKGS := gsl libconfig jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lgsl -lgslcblas -lconfig -ljansson)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wvla
ifeq ($(CI),true)
WERROR := 1
endif
ifeq ($(WERROR),1)
WARN += -Werror
endif

GIT_REV := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
STD := -std=c17 -D_XOPEN_SOURCE=700
OPT ?= -O2 -g
CPPFLAGS += -I. -DCCSIM_VERSION='"$(VERSION)"' -DCCSIM_GIT_REV='"$(GIT_REV)"' \
            -DCCSIM_DATADIR='"$(DATADIR)"' -DCCSIM_DOCDIR='"$(DOCDIR)"'
CFLAGS_ALL = $(STD) $(OPT) $(WARN) $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS) -MMD -MP
LDLIBS_ALL = $(PKG_LIBS) -lpthread -lm

# Sanitizer builds: each its own tree, so that the normal build is untouched. The ASan/UBSan
# build is also the debug build: CCSIM_DEBUG turns the SIM_DEBUG_ASSERT checks on.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TSAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
ifeq ($(SANITIZE),1)
BUILD ?= build-san
OPT := -O1 -g
CPPFLAGS += -DCCSIM_DEBUG
CFLAGS_ALL += $(SAN)
LDFLAGS += $(SAN)
else ifeq ($(TSAN),1)
BUILD ?= build-tsan
OPT := -O1 -g
CFLAGS_ALL += $(TSAN_FLAGS)
LDFLAGS += $(TSAN_FLAGS)
else ifeq ($(MPI),1)
BUILD ?= build-mpi
else
BUILD ?= build
endif

# MPI=1: the MPI build (docs/cluster.md), with Open MPI found by pkg-config (Debian's
# libopenmpi-dev); the default build needs no MPI.
ifeq ($(MPI),1)
MPI_PKG := $(shell pkg-config --exists ompi-c 2>/dev/null && echo ompi-c || echo mpi-c)
MPI_CFLAGS := $(shell pkg-config --cflags $(MPI_PKG) 2>/dev/null)
MPI_LIBS := $(shell pkg-config --libs $(MPI_PKG) 2>/dev/null || echo -lmpi)
CPPFLAGS += -DCCSIM_MPI
PKG_CFLAGS += $(MPI_CFLAGS)
PKG_LIBS += $(MPI_LIBS)
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

LIB_SRC := $(wildcard sim/*.c models/*.c analysis/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_SUPPORT := $(BUILD)/tests/support.o
BENCH_SRC := $(wildcard bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps deps-browser test check tsan tsan-run bench verify golden validate validate-fit \
	validation-status clean install \
        uninstall format format-check docs baseline-state hdrcheck clang-check layers valgrind \
        mpi-test

all: $(BUILD)/ccsim

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

# The revision is compiled into the manifest writer, --version and the key of kept replications
# (unitstore): rebuild them when it changes.
.PHONY: FORCE
$(BUILD)/gitrev.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(GIT_REV)' | cmp -s - $@ 2>/dev/null || echo '$(GIT_REV)' >$@
$(BUILD)/analysis/manifest.o $(BUILD)/analysis/unitstore.o $(BUILD)/cli/main.o: $(BUILD)/gitrev.stamp

$(BUILD)/libccsim.a: $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/ccsim: $(CLI_OBJ) $(BUILD)/libccsim.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_SUPPORT) $(BUILD)/libccsim.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LDLIBS_ALL)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/libccsim.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# Debian packages the project needs (Open MPI for make MPI=1 and make mpi-test); safe to run twice.
DEB_PKGS := build-essential pkg-config libgsl-dev libconfig-dev libcmocka-dev libjansson-dev \
            gnuplot-nox valgrind libopenmpi-dev openmpi-bin
deps:
	@if dpkg -s $(DEB_PKGS) >/dev/null 2>&1; then \
	    echo "deps: all packages present"; \
	else \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $(DEB_PKGS); \
	fi

# Unit and verification suites, then the command-line tests (bad scenarios, reproducibility).
test: $(BUILD)/ccsim $(TEST_BIN)
	$(Q)BUILD=$(BUILD) sh tests/run.sh $(TEST_BIN)

check:
	$(Q)LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    $(MAKE) --no-print-directory SANITIZE=1 test

# The long statistical checks that make test runs short or not at all (tests/verify/README.md):
# the closed-form queueing checks and the care command-line checks at full length.
verify: $(BUILD)/ccsim $(TEST_BIN)
	$(Q)BUILD=$(BUILD) sh tests/verify/run.sh

# The MPI build (build-mpi) against the ordinary one: every command's results under
# mpirun -n 2 and -n 3 byte for byte as with -j 1 (tests/mpi/run.sh).
mpi-test:
	$(Q)$(MAKE) --no-print-directory MPI=1 BUILD=build-mpi all
	$(Q)$(MAKE) --no-print-directory MPI=0 BUILD=build all
	$(Q)CCSIM=build/ccsim CCSIM_MPI=build-mpi/ccsim sh tests/mpi/run.sh

# ThreadSanitizer (no ASan: the two do not mix) on every test that runs replications on more
# than one thread, in its own tree (build-tsan unless BUILD is given).
tsan:
	$(Q)$(MAKE) --no-print-directory TSAN=1 tsan-run
tsan-run: $(BUILD)/ccsim $(TEST_BIN)
	$(Q)BUILD=$(BUILD) sh tests/verify/tsan.sh

# Golden results of a few short scenarios (tests/golden/README.md says when to regenerate).
golden: $(BUILD)/ccsim
	$(Q)sh tests/golden/cases.sh $(BUILD)/ccsim tests/golden

valgrind: $(BUILD)/ccsim
	$(Q)valgrind -q --error-exitcode=1 --leak-check=full $(BUILD)/ccsim run \
	    scenarios/verify/mm1.cfg -r 2 -q --set horizon=5000 >/dev/null
	$(Q)valgrind -q --error-exitcode=1 --leak-check=full $(BUILD)/ccsim run \
	    scenarios/care/baseline.cfg -r 2 -q --set horizon=800 --set warmup=100 >/dev/null
	$(Q)for f in tests/scenarios/bad/*.cfg; do \
	    [ -f "$$f" ] || continue; \
	    valgrind -q --error-exitcode=99 --leak-check=full $(BUILD)/ccsim check "$$f" \
	        >/dev/null 2>&1; \
	    [ $$? -ne 99 ] || { echo "valgrind: errors in ccsim check $$f"; exit 1; }; \
	done; echo "valgrind: clean (mm1 and care runs, check of every bad scenario)"

# BENCH_REPS: replications of the 1,000-replication benchmark (bench_replications), for a
# quicker look; the target is stated for 1,000.
BENCH_REPS ?= 1000
bench: OPT := -O2 -g
bench: $(BENCH_BIN) $(BUILD)/ccsim
	$(Q)for b in $(BENCH_BIN); do CCSIM_BENCH_REPS=$(BENCH_REPS) $$b || exit 1; done

clean:
	rm -rf build build-san build-tsan build-mpi

# The program, its manual page, every file of scenarios/ under DATADIR/scenarios with its
# folders (so that base = paths and data files such as baseline_state.csv stay where the
# scenarios expect them), and the documents under DOCDIR as in the source tree (README.md,
# LICENSE, CITATION.cff, docs/*.md, docs/figures/), their links to the scenarios kept by
# DOCDIR/scenarios, a link to DATADIR/scenarios.
install: $(BUILD)/ccsim
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR) $(DESTDIR)$(DATADIR)/scenarios \
	    $(DESTDIR)$(DOCDIR)/docs/figures
	install -m 755 $(BUILD)/ccsim $(DESTDIR)$(PREFIX)/bin/ccsim
	install -m 644 docs/ccsim.1 $(DESTDIR)$(MANDIR)/ccsim.1
	find scenarios -type f ! -name '.*' | while read -r f; do \
	    install -D -m 644 "$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; \
	done
	install -m 644 README.md LICENSE CITATION.cff $(DESTDIR)$(DOCDIR)/
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/
	install -m 644 docs/figures/* $(DESTDIR)$(DOCDIR)/docs/figures/
	ln -sfn ../../ccsim/scenarios $(DESTDIR)$(DOCDIR)/scenarios

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ccsim $(DESTDIR)$(MANDIR)/ccsim.1
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

SOURCES := $(wildcard sim/*.[ch] models/*.[ch] analysis/*.[ch] cli/*.[ch] tests/*.[ch] bench/*.[ch])
format:
	clang-format -i $(SOURCES)
format-check:
	clang-format --dry-run --Werror $(SOURCES)

# Every header compiles on its own.
hdrcheck:
	$(Q)for h in $(wildcard sim/*.h models/*.h analysis/*.h cli/*.h); do \
	    echo "#include \"$$h\"" | $(CC) $(STD) $(WARN) -Werror $(PKG_CFLAGS) -I. -x c -fsyntax-only - \
	    || { echo "hdrcheck: $$h is not self-contained"; exit 1; }; \
	done; echo "hdrcheck: ok"

# Warnings gcc 12 does not have, from clang: a global variable without a declaration in a
# header (it should be static, or declared where its users can see it).
CLANG ?= clang
CLANG_WARN := -Wmissing-variable-declarations
clang-check:
	$(Q)ok=1; for f in $(LIB_SRC) $(CLI_SRC); do \
	    $(CLANG) $(STD) $(WARN) $(CLANG_WARN) -Werror $(PKG_CFLAGS) $(CPPFLAGS) -fsyntax-only $$f \
	    || ok=0; \
	done; [ $$ok -eq 1 ] && echo "clang-check: ok"

# Includes go downward only: sim <- models <- analysis <- cli.
layers:
	$(Q)sh tests/layers.sh

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BIN:=.d) $(BUILD)/tests/support.d

# Fuzzing the scenario loader (libFuzzer): `make fuzz` (see tests/fuzz/README.md).
-include tests/fuzz/fuzz.mk

# The baseline region's state after 30 years from empty (replication 1 of
# baseline_from_empty.cfg), the start of scenarios/care/baseline.cfg: written again after any
# change to the model or the region (tests/cli/baseline_state.sh checks that it is current).
baseline-state: $(BUILD)/ccsim
	$(Q)rm -rf $(BUILD)/baseline-state
	$(Q)$(BUILD)/ccsim run scenarios/care/baseline_from_empty.cfg -r 2 -j 2 -q --no-plots \
	    --set output.end_state=true -o $(BUILD)/baseline-state
	$(Q)cp $(BUILD)/baseline-state/end_state.csv scenarios/care/baseline_state.csv
	@echo "baseline-state: scenarios/care/baseline_state.csv written"

# The scenario-key reference, generated from the declarations in the code.
docs: $(BUILD)/ccsim
	$(Q)$(BUILD)/ccsim keys >docs/scenarios.md.tmp && mv docs/scenarios.md.tmp docs/scenarios.md
	@echo "docs: docs/scenarios.md regenerated"

# Published effects against simulated ones (docs/validation.md).
validate: $(BUILD)/ccsim
	$(Q)$(BUILD)/ccsim validate -j 2

# The joint fit of the mechanism parameters common to every model on the training rows, their
# uncertainty, every row across it and leave-one-out (docs/validation.md; about 20 minutes).
validate-fit: $(BUILD)/ccsim
	$(Q)$(BUILD)/ccsim validate -j 2 -r 10 --free coordination.detect=0.1:0.9 \
	    --free coordination.outreach=0:0.9 --leave-one-out -o $(BUILD)/validate-fit --force

# The validation status that reports quote (scenarios/validation/status.csv), written again
# from the table after any change to it or to the model; failing rows are part of the status.
validation-status: $(BUILD)/ccsim
	$(Q)$(BUILD)/ccsim validate -j 2 -q --status scenarios/validation/status.csv; \
	    rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 1 ]
	@echo "validation-status: scenarios/validation/status.csv written"

# A browser for `ccsim report --pdf` and the report's rendering test (optional).
deps-browser:
	@if dpkg -s chromium >/dev/null 2>&1; then \
	    echo "deps-browser: chromium present"; \
	else \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends chromium; \
	fi
