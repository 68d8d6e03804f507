# paperbib: GNU Make build.
#   make            build build/paperbib and build/libpaperbib.a
#   make run        install what is missing, build, convert the example
#   make check      install what is missing, build, run every test
#   make install    PREFIX=/usr/local DESTDIR=
# BUILD=dir puts every build product in another folder (default: build).

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build

CC      ?= cc
PKG_CONFIG ?= pkg-config
OPT     ?= -O2 -g
HARDEN  ?= -D_FORTIFY_SOURCE=2 -fstack-protector-strong
CFLAGS  ?= $(OPT) $(HARDEN)
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2
# -pthread: the pipeline reads ahead on a second thread.
CPPFLAGS_ALL := -pthread -D_XOPEN_SOURCE=700 -Iinclude -Isrc \
           $(shell $(PKG_CONFIG) --cflags libxml-2.0 jansson 2>/dev/null) \
           -I/usr/include/iniparser $(CPPFLAGS)
# cmark-gfm reads Markdown paper lists; its extensions library (tables,
# autolinks) has no pkg-config file of its own.
LIBS    := $(shell $(PKG_CONFIG) --libs libxml-2.0 jansson 2>/dev/null) -liniparser \
           -lcmark-gfm-extensions -lcmark-gfm -pthread
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard formats/*.c)
LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRC))
TEST_SRC := $(wildcard tests/check_*.c) tests/testutil.c
TEST_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(TEST_SRC))
HEADERS := $(wildcard include/paperbib/*.h)

BIN   := $(BUILD)/paperbib
LIBA  := $(BUILD)/libpaperbib.a
TESTS := $(BUILD)/check_paperbib

.PHONY: all deps deps-test run check unit shtest install uninstall clean \
        format update-golden check-asan check-valgrind fuzz lint bench
.DEFAULT_GOAL := all

all: $(BIN) $(LIBA)

$(BUILD)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS_ALL) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS_ALL) -I$(BUILD)/tests $(CHECK_CFLAGS) $(CFLAGS) \
		-MMD -MP -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(BUILD)/src/main.o $(LIBA)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LIBS)

# The runner calls every tests/check_<module>.c's <module>_suite().
$(BUILD)/tests/suites.h: $(TEST_SRC) Makefile
	@mkdir -p $(dir $@)
	@for f in $(filter-out tests/check_main.c,$(filter tests/check_%,$(TEST_SRC))); do \
		m=$${f#tests/check_}; m=$${m%.c}; \
		echo "SUITE($$m)"; done > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/check_main.o: $(BUILD)/tests/suites.h

$(TESTS): $(TEST_OBJ) $(LIBA)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJ) $(LIBA) $(LIBS) $(CHECK_LIBS)

deps:
	@sh scripts/deps.sh build

deps-test:
	@sh scripts/deps.sh test

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p out
	$(BIN) -c examples/iclr2020.ini -O out examples/iclr2020-talks.txt
	@ls -l out

check: deps-test
	@$(MAKE) --no-print-directory all $(TESTS)
	@$(MAKE) --no-print-directory unit shtest

unit: $(TESTS)
	cd tests && PAPERBIB=$(abspath $(BIN)) ../$(TESTS)

shtest: $(BIN) $(BUILD)/bench-gen
	@PAPERBIB=$(abspath $(BIN)) PAPERBIB_BUILD=$(abspath $(BUILD)) sh tests/run.sh tests/sh/*.sh

# Throughput and memory against bibutils and pandoc (issue 8).
bench: deps-test
	@$(MAKE) --no-print-directory all $(BUILD)/bench-gen
	sh bench/run.sh $(BIN) $(BUILD)/bench-gen

$(BUILD)/bench-gen: bench/gen.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -o $@ $<

update-golden: $(BIN)
	@PAPERBIB=$(abspath $(BIN)) sh tests/update-golden.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/include/paperbib \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/paperbib
	install -m 644 $(LIBA) $(DESTDIR)$(PREFIX)/lib/libpaperbib.a
	install -m 644 $(HEADERS) $(DESTDIR)$(PREFIX)/include/paperbib/
	install -m 644 man/paperbib.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/paperbib.ini.5 $(DESTDIR)$(PREFIX)/share/man/man5/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/paperbib $(DESTDIR)$(PREFIX)/lib/libpaperbib.a
	rm -rf $(DESTDIR)$(PREFIX)/include/paperbib
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/paperbib.1 \
		$(DESTDIR)$(PREFIX)/share/man/man5/paperbib.ini.5

format:
	clang-format -i src/*.c src/*.h include/paperbib/*.h formats/*.c tests/*.c

clean:
	rm -rf $(BUILD) build-asan build-tsan build-valgrind build-fuzz out

# --- reliability (issue 7) -------------------------------------------------
#   make check-asan       every test with AddressSanitizer and UBSan
#   make check-valgrind   every test under valgrind (memcheck, leaks)
#   make fuzz             builds the libFuzzer targets, replays corpus and seeds
#   make fuzz-run         fuzzes each target FUZZ_SECONDS (default 60) and adds
#                         inputs that grow coverage to tests/fuzz/corpus/
#   make check-tsan       every test with ThreadSanitizer (the read-ahead thread)
#   make lint             cppcheck and clang-tidy (.clang-tidy), silent when clean
# Each builds in its own folder (build-asan, build-tsan, build-valgrind,
# build-fuzz).
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer \
       -fno-sanitize-recover=all
# Sanitizer options go into the recipe's environment: a make variable given
# on the command line would not reach the programs the tests run.
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:check_initialization_order=1 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
           CK_TIMEOUT_MULTIPLIER=10 PAPERBIB_SAN_FLAGS="$(SAN)"
ASAN_MAKE := $(MAKE) --no-print-directory BUILD=build-asan HARDEN= \
             CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)"

check-asan: deps-test
	@$(ASAN_MAKE) all build-asan/check_paperbib
	@$(SAN_ENV) PAPERBIB_INSTRUMENTED=asan $(ASAN_MAKE) unit shtest

# ThreadSanitizer: the pipeline reads ahead on a second thread.
TSAN_MAKE := $(MAKE) --no-print-directory BUILD=build-tsan HARDEN= \
             CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS="-fsanitize=thread"

check-tsan: deps-test
	@$(TSAN_MAKE) all build-tsan/check_paperbib
	@TSAN_OPTIONS=halt_on_error=1:exitcode=66 CK_TIMEOUT_MULTIPLIER=10 \
		PAPERBIB_SAN_FLAGS=-fsanitize=thread PAPERBIB_INSTRUMENTED=tsan \
		$(TSAN_MAKE) unit shtest

# The unit tests run in-process (CK_FORK=no) so valgrind sees them; every
# paperbib run of the shell tests goes through tests/valgrind.sh.
VALGRIND := valgrind -q --leak-check=full \
            --suppressions=$(abspath tests/valgrind.supp) \
            --show-leak-kinds=definite,indirect,possible \
            --errors-for-leak-kinds=definite,indirect,possible \
            --error-exitcode=99
# -O2 as released: what valgrind checks is what ships.
VALGRIND_MAKE := $(MAKE) --no-print-directory BUILD=build-valgrind HARDEN= \
                 CFLAGS="-O2 -g"

check-valgrind: deps-test
	@$(VALGRIND_MAKE) all build-valgrind/check_paperbib build-valgrind/bench-gen
	cd tests && CK_FORK=no PAPERBIB=$(abspath build-valgrind/paperbib) \
		$(VALGRIND) ../build-valgrind/check_paperbib
	@PAPERBIB_REAL=$(abspath build-valgrind/paperbib) PAPERBIB_INSTRUMENTED=valgrind \
		PAPERBIB_BUILD=$(abspath build-valgrind) \
		PAPERBIB=$(abspath tests/valgrind.sh) sh tests/run.sh tests/sh/*.sh

# libFuzzer: one target per reader (tests/fuzz/fuzz_<reader>.c), all sharing
# the harness and the output oracles of tests/fuzz/oracle.c.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 4096
FUZZ_CFLAGS  := -O1 -g -fsanitize=fuzzer-no-link $(SAN)
FUZZ_MAKE    := $(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) \
                HARDEN= CFLAGS="$(FUZZ_CFLAGS)"
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
# A target's reader must exist: formats/<name>_read.c (the paper list is src/).
FUZZ_TARGETS := $(foreach t,$(FUZZ_TARGETS),$(if $(or $(filter paperlist,$(t)),$(wildcard formats/$(t)_read.c)),$(t)))
FUZZ_SEEDS_paperlist := $(wildcard examples/*.txt tests/golden/*.txt tests/data/*.txt)
FUZZ_SEEDS_bibtex    := $(wildcard tests/golden/*.bib tests/data/*.bib)
FUZZ_SEEDS_ris       := $(wildcard tests/golden/*.ris tests/data/*.ris)
FUZZ_SEEDS_csljson   := $(wildcard tests/golden/*.json tests/data/*.json)
FUZZ_OPTS := -timeout=20 -rss_limit_mb=2048 -max_len=$(FUZZ_MAX_LEN)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/oracle.c tests/fuzz/fuzz.h $(LIBA)
	$(CC) $(WARN) $(CPPFLAGS_ALL) $(CFLAGS) -fsanitize=fuzzer -o $@ \
		$(filter %.c,$^) $(LIBA) $(LIBS)

fuzz-build: deps-test
	@$(FUZZ_MAKE) $(FUZZ_TARGETS:%=build-fuzz/fuzz_%)

# Replays every corpus input and seed once: fails on any finding.
fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p tests/fuzz/corpus/$$t; \
		case $$t in \
		paperlist) seeds="$(FUZZ_SEEDS_paperlist)" ;; \
		bibtex) seeds="$(FUZZ_SEEDS_bibtex)" ;; \
		ris) seeds="$(FUZZ_SEEDS_ris)" ;; \
		csljson) seeds="$(FUZZ_SEEDS_csljson)" ;; \
		esac; \
		files=$$(find tests/fuzz/corpus/$$t -type f | sort); \
		n=$$(echo $$seeds $$files | wc -w); \
		[ "$$n" -gt 0 ] || continue; \
		printf 'fuzz_%s: %s inputs\n' $$t $$n; \
		$(SAN_ENV) build-fuzz/fuzz_$$t -runs=1 $$seeds $$files \
			>build-fuzz/fuzz_$$t.log 2>&1 || \
			{ tail -n 40 build-fuzz/fuzz_$$t.log; exit 1; }; \
	done

# Fuzzes each target for FUZZ_SECONDS; a finding stops with its input in
# build-fuzz/artifacts/. Inputs that add coverage over the kept corpus are
# copied to tests/fuzz/corpus/<target>/ when they add edges (not counts:
# -use_counters=0 keeps the corpus small) over the seeds
# and the corpus already kept (at most FUZZ_MAX_LEN bytes each).
fuzz-run: fuzz
	@set -e; for t in $(FUZZ_TARGETS); do \
		case $$t in \
		paperlist) seeds="$(FUZZ_SEEDS_paperlist)" ;; \
		bibtex) seeds="$(FUZZ_SEEDS_bibtex)" ;; \
		ris) seeds="$(FUZZ_SEEDS_ris)" ;; \
		csljson) seeds="$(FUZZ_SEEDS_csljson)" ;; \
		esac; \
		rm -rf build-fuzz/work/$$t build-fuzz/seed/$$t; \
		mkdir -p build-fuzz/work/$$t build-fuzz/seed/$$t build-fuzz/artifacts; \
		[ -z "$$seeds" ] || cp $$seeds build-fuzz/seed/$$t/; \
		echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
		build-fuzz/fuzz_$$t $(FUZZ_OPTS) -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 \
			-artifact_prefix=build-fuzz/artifacts/$$t- \
			build-fuzz/work/$$t tests/fuzz/corpus/$$t build-fuzz/seed/$$t \
			>build-fuzz/fuzz_$$t.log 2>&1 || \
			{ tail -n 60 build-fuzz/fuzz_$$t.log; \
			  echo "fuzz_$$t: finding in build-fuzz/artifacts/"; exit 1; }; \
		grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' \
			build-fuzz/fuzz_$$t.log | sed "s/^/  /"; \
		m=build-fuzz/merge/$$t; rm -rf $$m; mkdir -p $$m; \
		[ -z "$$seeds" ] || cp $$seeds $$m/; \
		cp tests/fuzz/corpus/$$t/* $$m/ 2>/dev/null || true; \
		ls $$m >build-fuzz/merge_$$t.before; \
		build-fuzz/fuzz_$$t -merge=1 -use_counters=0 -max_len=$(FUZZ_MAX_LEN) $$m \
			build-fuzz/work/$$t >build-fuzz/merge_$$t.log 2>&1 || \
			{ tail -n 20 build-fuzz/merge_$$t.log; exit 1; }; \
		ls $$m | grep -vxF -f build-fuzz/merge_$$t.before | \
			while read -r f; do cp "$$m/$$f" tests/fuzz/corpus/$$t/; done; \
		echo "  corpus: $$(ls tests/fuzz/corpus/$$t | wc -l) files," \
			"$$(cat tests/fuzz/corpus/$$t/* 2>/dev/null | wc -c) bytes"; \
	done

# Static analysis; configured in .clang-tidy and
# tests/cppcheck-suppressions.txt. Prints nothing and succeeds when clean.
LINT_SRC := $(wildcard src/*.c formats/*.c tests/fuzz/*.c)
lint:
	@cppcheck -q --std=c11 --language=c --error-exitcode=1 \
		--enable=warning,portability,performance --inline-suppr \
		--suppressions-list=tests/cppcheck-suppressions.txt \
		-D_XOPEN_SOURCE=700 -D__GNUC__ -Iinclude -Isrc $(LINT_SRC)
	@clang-tidy --quiet $(LINT_SRC) -- -std=c11 $(CPPFLAGS_ALL) \
		2>/dev/null

.PHONY: fuzz-build fuzz-run

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/src/main.d
