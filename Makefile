# griddesk — build, install, test, demo. See README.md.

PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/griddesk
MANDIR     ?= $(PREFIX)/share/man
LOCALEDIR  ?= $(PREFIX)/share/locale
PKG_CONFIG ?= pkg-config
CC         ?= cc

# BUILD holds the objects, BIN the programs; the sanitizer build uses its own
BUILD ?= build
BIN   ?= .
SAN   ?=

PKGS      := libpq libuv ncursesw
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PQ_LIBS    = $(shell $(PKG_CONFIG) --libs libpq 2>/dev/null)
TUI_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

CFLAGS   ?= -O2 -g
WARN      = -std=c11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
            -Wmissing-prototypes -Wvla
CPPFLAGS += -Iinclude -D_GNU_SOURCE -DSCHEMADIR='"$(DATADIR)/schema"' \
            -DLOCALEDIR='"$(LOCALEDIR)"'
ifneq ($(SAN),)
CFLAGS   += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=address,undefined
endif
ALL_CFLAGS = $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP

# pgc.c drives libpq from libuv: only the console links it
LIVE_SRC = src/core/pgc.c
CORE_SRC = $(filter-out $(LIVE_SRC),$(wildcard src/core/*.c))
CLI_SRC  = $(wildcard src/cli/*.c)
TUI_SRC  = $(wildcard src/tui/*.c) $(LIVE_SRC)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
CORE_OBJ = $(CORE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  = $(TUI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

PROGRAMS = $(BIN)/gridctl $(BIN)/griddesk

# The Chinese catalogue, built where the programs look for it first
# (build/locale beside ./gridctl, or beside build/asan/gridctl's parent)
LINGUAS = zh_CN
MO      = $(LINGUAS:%=build/locale/%/LC_MESSAGES/griddesk.mo)
XGETTEXT_KEYS = --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2

.PHONY: all clean install deps check unit demo bench bench-tools pot fuzz fuzzers soak

# libFuzzer (clang) over every parser of outside input; each runs for
# FUZZ_SECONDS from its corpus in tests/fuzz/corpus/NAME, which it grows
FUZZERS      = parse text records conn server_text
FUZZ_BIN     = $(FUZZERS:%=build/fuzz/fuzz_%)
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  = -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -D_GNU_SOURCE \
               -DLOCALEDIR='"$(LOCALEDIR)"' $(PKG_CFLAGS)
FUZZ_CORE    = $(filter-out src/core/pgc.c,$(wildcard src/core/*.c))
all: $(PROGRAMS) $(MO)

build/locale/%/LC_MESSAGES/griddesk.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# po/griddesk.pot from the sources, and the catalogues brought up to it
pot:
	xgettext --from-code=UTF-8 --language=C $(XGETTEXT_KEYS) --add-comments=TRANSLATORS \
		--package-name=griddesk --no-location -o po/griddesk.pot \
		$(sort $(wildcard src/*/*.c include/griddesk/*.h))
	for l in $(LINGUAS); do msgmerge --quiet --update --backup=none --no-fuzzy-matching po/$$l.po po/griddesk.pot; done

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BIN)/gridctl: $(CLI_OBJ) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(PQ_LIBS)

$(BIN)/griddesk: $(TUI_OBJ) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(TUI_LIBS)

# $(filter) keeps the headers the dependency files add out of the link
$(BUILD)/tests/%: tests/unit/%.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(CMOCKA_LIBS) $(PQ_LIBS)

unit: $(UNIT_BIN)

BENCH_BIN = $(BUILD)/bench/writer $(BUILD)/bench/listeners
$(BUILD)/bench/writer: tests/bench/writer.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(PQ_LIBS)
$(BUILD)/bench/listeners: tests/bench/listeners.c $(BUILD)/src/core/pgc.o $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(TUI_LIBS)
bench-tools: $(BENCH_BIN)

# Measurements against a private cluster, with the database's own limits
# beside each figure (see tests/bench/run). Not part of check.
bench: deps
	$(MAKE) all bench-tools
	tests/bench/run

deps:
	@tools/deps

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_CORE) $(wildcard include/griddesk/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_CORE) $(PQ_LIBS)

fuzzers: $(FUZZ_BIN)

fuzz: fuzzers
	for f in $(FUZZERS); do mkdir -p tests/fuzz/corpus/$$f && \
		build/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		tests/fuzz/corpus/$$f || exit 1; done

# The whole suite, through prove, against a private PostgreSQL cluster, with
# the sanitizer build of every program.
check: deps
	$(MAKE) all unit
	$(MAKE) BUILD=build/asan BIN=build/asan SAN=1 all unit
	$(MAKE) fuzzers
	tests/run

demo: deps
	$(MAKE) all
	tools/demo

# a night shift in minutes (SOAK_MINUTES, default 10): see tools/soak
soak: deps
	$(MAKE) all
	tools/soak

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/schema/changes \
		$(DESTDIR)$(DATADIR)/schema/definitions $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(PROGRAMS) $(DESTDIR)$(BINDIR)/
	install -m 644 schema/changes/*.sql $(DESTDIR)$(DATADIR)/schema/changes/
	install -m 644 schema/definitions/*.sql $(DESTDIR)$(DATADIR)/schema/definitions/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	install -d $(DESTDIR)$(MANDIR)/zh_CN/man1
	install -m 644 man/zh_CN/*.1 $(DESTDIR)$(MANDIR)/zh_CN/man1/
	for l in $(LINGUAS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 build/locale/$$l/LC_MESSAGES/griddesk.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/; \
	done

clean:
	rm -rf build gridctl griddesk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
