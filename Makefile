# SPDX-License-Identifier: MIT
#
# Top level: builds every test image of the configured arch.
#   all        images $(TESTDIR)/<name>.flat (and .elf for symbols)
#   check      installs what it needs as root (scripts/deps.sh), then host unit tests,
#              runner tests, the CI files (scripts/ci-check.sh), the catalogue under
#              every VMM/accelerator present with the known-failures audit and the
#              known crashes (scripts/check.sh)
#   check-port the symbols lib/ takes from the port against docs/porting.md
#              (scripts/port-contract.sh); check and check-catalogue run it first
#   style      formatting and shellcheck (scripts/style.sh)
#   clean
# A test is $(TESTDIR)/<name>.c, or a folder $(TESTDIR)/<name>/ of .c files.

.DEFAULT_GOAL := all

TOP := $(dir $(realpath $(firstword $(MAKEFILE_LIST))))

# make check installs what it needs as root (scripts/deps.sh; as another user it prints
# the apt-get line and stops), before anything needs a compiler. make never installs.
ifneq ($(filter check,$(MAKECMDGOALS)),)
DEPS_ARCH := $(shell sed -n 's/^ARCH=//p' config.mak 2>/dev/null)
ifneq ($(shell bash $(TOP)scripts/deps.sh --as "make check" check $(DEPS_ARCH) >&2 || echo no),)
$(error make check: missing packages (see above))
endif
endif

# A fresh checkout configures itself for the host arch (make, make check).
ifeq ($(wildcard config.mak),)
$(info config.mak not found: running configure for the host arch)
ifneq ($(shell $(TOP)configure >&2 || echo no),)
$(error configure failed (see above))
endif
endif
include config.mak

# Only style and clean do without the compiler.
ifneq ($(filter-out style clean,$(or $(MAKECMDGOALS),all)),)
ifeq ($(shell command -v $(firstword $(CC)) 2>/dev/null),)
$(error C compiler $(firstword $(CC)) not found; as root run: apt-get install $(or \
	$(CC_PACKAGE),gcc))
endif
endif

# Only the rules below: objects may live next to their sources (in-tree builds).
.SUFFIXES:
MAKEFLAGS += -r

HOSTCC ?= cc
LIBGCC := $(shell $(CC) -print-libgcc-file-name)

CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-fno-stack-protector -fno-pic -fno-pie -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing \
	--param=min-pagesize=0 \
	-Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror \
	-I$(SRCDIR)/lib -I$(SRCDIR)/lib/$(LIBARCH) -MMD -MP
ASFLAGS = $(CFLAGS)

include $(SRCDIR)/lib/$(LIBARCH)/arch.mk
CFLAGS += $(ARCH_CFLAGS) $(EXTRA_CFLAGS)

LIB_OBJS := $(addprefix lib/,printf.o string.o glob.o alloc.o console.o report.o subtest.o \
	argv.o setup.o extable.o smp.o acpi.o vm.o devicetree.o dtboot.o)
# Linked first and whole: the image's entry point and what only asm refers to.
ENTRY_OBJS := $(ARCH_ENTRY_OBJS)
LIB_A := lib/libhvprobe.a

TEST_FILES := $(wildcard $(SRCDIR)/$(TESTDIR)/*.c)
TEST_DIRS := $(patsubst %/,%,$(dir $(wildcard $(SRCDIR)/$(TESTDIR)/*/*.c)))
TEST_NAMES := $(sort $(notdir $(TEST_FILES:.c=) $(TEST_DIRS)))
IMAGES := $(addprefix $(TESTDIR)/,$(addsuffix .flat,$(TEST_NAMES)))

all: $(IMAGES) $(ARCH_EXTRA)

vpath %.c $(SRCDIR)
vpath %.S $(SRCDIR)

# V=1 shows the commands.
Q := $(if $(V),,@)

%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

%.o: %.S
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $@")
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

$(LIB_A): $(LIB_OBJS) $(filter-out $(ENTRY_OBJS),$(ARCH_OBJS))
	@rm -f $@
	$(Q)$(CROSS_PREFIX)ar rcs $@ $^

# Objects of one test: its .c, or every .c of its folder; and common/<name>.c,
# the subtests every arch's <name> shares, when there is one.
test_objs = $(patsubst $(SRCDIR)/%.c,%.o,$(or $(wildcard $(SRCDIR)/$(TESTDIR)/$(1)/*.c),\
	$(SRCDIR)/$(TESTDIR)/$(1).c) $(wildcard $(SRCDIR)/common/$(1).c))

.SECONDEXPANSION:
$(TESTDIR)/%.elf: $$(call test_objs,$$*) $(ENTRY_OBJS) $(LIB_A) $(LDSCRIPT)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -nostdlib -static -no-pie -Wl,-T,$(LDSCRIPT) -Wl,--build-id=none \
		-Wl,-z,noexecstack -o $@ $(ENTRY_OBJS) $(call test_objs,$*) $(LIB_A) $(LIBGCC)

.PRECIOUS: $(TESTDIR)/%.elf %.o

include $(SRCDIR)/tests/unit/unit.mk

check: all
	$(MAKE) --no-print-directory check-unit
	bash $(SRCDIR)/tests/runner/run.sh
	bash $(SRCDIR)/scripts/ci-check.sh
	bash $(SRCDIR)/scripts/check.sh

# Only the catalogue part of check (the host and runner tests do not depend on the arch).
check-catalogue: all
	bash $(SRCDIR)/scripts/check.sh

style:
	bash $(SRCDIR)/scripts/style.sh

# One self-contained script per stanza in standalone/ (only the VMM needed).
standalone: all
	bash $(SRCDIR)/scripts/standalone.sh

# The port contract (docs/porting.md) against this build's lib/ objects, part of both checks.
check-port: all
	bash $(SRCDIR)/scripts/port-contract.sh
check check-catalogue: check-port
.PHONY: check-port

clean:
	find lib common $(TESTDIR) \( -name "*.o" -o -name "*.d" -o -name "*.a" \) \
		-delete 2>/dev/null; \
	rm -rf $(TESTDIR)/*.elf $(TESTDIR)/*.flat logs standalone hostcpu-probe $(ARCH_EXTRA) \
		$(UNIT_CLEAN)

.PHONY: all check check-catalogue style standalone clean

-include $(shell find . -name '*.d' 2>/dev/null)
