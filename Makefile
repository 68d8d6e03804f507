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
CPPFLAGS_ALL := -D_XOPEN_SOURCE=700 -Iinclude -Isrc \
           $(shell $(PKG_CONFIG) --cflags libxml-2.0 jansson 2>/dev/null) \
           -I/usr/include/iniparser $(CPPFLAGS)
LIBS    := $(shell $(PKG_CONFIG) --libs libxml-2.0 jansson 2>/dev/null) -liniparser
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

shtest: $(BIN)
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
	rm -rf $(BUILD) build-asan build-valgrind build-fuzz out

# --- reliability (issue 7) -------------------------------------------------
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer \
       -fno-sanitize-recover=all

# Every test, built with AddressSanitizer and UBSan.
check-asan: deps-test
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" HARDEN= \
		CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" all build-asan/check_paperbib
	@$(MAKE) --no-print-directory BUILD=build-asan unit shtest \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Every test under valgrind: the unit tests without fork, and every
# paperbib run of the shell tests through tests/valgrind.sh.
check-valgrind: deps-test
	@$(MAKE) --no-print-directory BUILD=build-valgrind CFLAGS="-O1 -g" \
		all build-valgrind/check_paperbib
	cd tests && CK_FORK=no PAPERBIB=$(abspath build-valgrind/paperbib) \
		valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		../build-valgrind/check_paperbib
	@PAPERBIB_REAL=$(abspath build-valgrind/paperbib) \
		PAPERBIB=$(abspath tests/valgrind.sh) sh tests/run.sh tests/sh/*.sh

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/src/main.d
