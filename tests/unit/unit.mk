# SPDX-License-Identifier: MIT
#
# Host unit tests of lib/ code, built natively with $(HOSTCC) and run by
# `make check-unit`. Included by the top-level Makefile, which provides
# SRCDIR (absolute source path) and HOSTCC; outputs go to tests/unit/ under
# the build directory (the current directory).
#
# The lib/ sources are compiled with tests/unit/rename.h forced in, which
# gives their libc names an hv_ prefix so the tests can compare them with
# the host's own functions in the same program. Q (from the top level)
# quiets the commands as for the guest build.

HOSTCC ?= cc

BUILD_UNIT := tests/unit
UNIT_SRC := $(SRCDIR)/tests/unit
UNIT_TESTS := printf string glob alloc subtest devicetree report extable vm setup acpi
UNIT_BINS := $(addprefix $(BUILD_UNIT)/unit-,$(UNIT_TESTS))

# Which lib/ objects each test links with.
UNIT_LIBS_printf := printf string
UNIT_LIBS_string := string
UNIT_LIBS_glob := glob
UNIT_LIBS_alloc := alloc string
# The report/SMP calls of subtest.c are stubs in test-subtest.c.
UNIT_LIBS_subtest := subtest argv glob string
UNIT_LIBS_devicetree := devicetree string
UNIT_LIBS_acpi := acpi string
UNIT_LIBS_report := report argv glob string printf
UNIT_LIBS_extable := extable
UNIT_LIBS_vm := vm string
# The rest of what lib/setup.c calls is stubbed in test-setup.c.
UNIT_LIBS_setup := setup printf string

# Sanitizers when the host toolchain has them; probed once, and only when
# a unit test is actually built. `make UNIT_SANITIZE=` turns them off.
UNIT_SANITIZE ?= -fsanitize=address,undefined -fno-sanitize-recover=all
UNIT_SAN_PROBE = echo 'int main(void) { return 0; }' | \
	$(HOSTCC) $(UNIT_SANITIZE) -x c - -o /dev/null 2>/dev/null && echo $(UNIT_SANITIZE)
UNIT_SAN_OK = $(eval UNIT_SAN_OK := $$(shell $(UNIT_SAN_PROBE)))$(UNIT_SAN_OK)

UNIT_CFLAGS = -std=gnu11 -O1 -g -Wall -Werror -fno-omit-frame-pointer $(UNIT_SAN_OK) \
	-I$(SRCDIR)/lib -I$(UNIT_SRC)
UNIT_LIB_CFLAGS = $(UNIT_CFLAGS) -fno-builtin -include $(UNIT_SRC)/rename.h
# unit.mk too: a change of flags rebuilds.
UNIT_HDRS := $(wildcard $(SRCDIR)/lib/*.h) $(wildcard $(UNIT_SRC)/*.h) $(UNIT_SRC)/unit.mk
# argv.c defines getenv and environ, which the host C library has too; subtest.c reads them.
$(BUILD_UNIT)/lib-argv.o $(BUILD_UNIT)/lib-subtest.o $(BUILD_UNIT)/lib-report.o: \
	UNIT_LIB_CFLAGS += -Dgetenv=hv_getenv -Denviron=hv_environ
# report.c's exit() is the guest's; its glob_match() calls are counted by the test.
$(BUILD_UNIT)/lib-report.o: UNIT_LIB_CFLAGS += -Dexit=hv_exit -Dglob_match=unit_glob_match
# The linker's table bounds become pointers test-extable.c aims at its buffer.
$(BUILD_UNIT)/lib-extable.o: UNIT_LIB_CFLAGS += '-D__extable_start=(*unit_extable_start)' \
	'-D__extable_end=(*unit_extable_end)'
$(BUILD_UNIT)/lib-setup.o: UNIT_LIB_CFLAGS += -Dexit=hv_exit -Dmain=hv_main

UNIT_OBJS := $(addprefix $(BUILD_UNIT)/test-,$(addsuffix .o,$(UNIT_TESTS))) \
	$(addprefix $(BUILD_UNIT)/lib-,$(addsuffix .o,printf string glob alloc subtest argv \
	devicetree report extable vm setup acpi))

$(BUILD_UNIT)/lib-%.o: $(SRCDIR)/lib/%.c $(UNIT_HDRS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(UNIT_LIB_CFLAGS) -c -o $@ $<

$(BUILD_UNIT)/test-%.o: $(UNIT_SRC)/test-%.c $(UNIT_HDRS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -c -o $@ $<

$(foreach t,$(UNIT_TESTS),$(eval $(BUILD_UNIT)/unit-$(t): $(BUILD_UNIT)/test-$(t).o \
	$(patsubst %,$(BUILD_UNIT)/lib-%.o,$(UNIT_LIBS_$(t)))))

$(BUILD_UNIT)/unit-%:
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -o $@ $^

.PHONY: check-unit
check-unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do ./$$t || { echo "FAIL: $$t"; fail=1; }; done; \
	exit $$fail

UNIT_CLEAN := $(UNIT_BINS) $(UNIT_OBJS)

# lib/smp.c's wake-up protocol against a fake port of host threads (test-smp.c).
UNIT_BINS += $(BUILD_UNIT)/unit-smp
UNIT_CLEAN += $(BUILD_UNIT)/unit-smp $(BUILD_UNIT)/test-smp.o $(BUILD_UNIT)/lib-smp.o
$(BUILD_UNIT)/unit-smp: $(BUILD_UNIT)/test-smp.o $(BUILD_UNIT)/lib-smp.o $(BUILD_UNIT)/lib-string.o
$(BUILD_UNIT)/unit-smp: UNIT_CFLAGS += -pthread
check-unit: $(BUILD_UNIT)/unit-smp

# lib/x86/vmx_decode.c (test-vmx.c): the exit-code match and the decoding of VMX values; the
# report calls it makes are stubs there.
UNIT_BINS += $(BUILD_UNIT)/unit-vmx
UNIT_CLEAN += $(BUILD_UNIT)/unit-vmx $(BUILD_UNIT)/test-vmx.o $(BUILD_UNIT)/lib-x86-vmx_decode.o
$(BUILD_UNIT)/lib-x86-%.o: $(SRCDIR)/lib/x86/%.c $(UNIT_HDRS) $(wildcard $(SRCDIR)/lib/x86/*.h)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(UNIT_LIB_CFLAGS) -I$(SRCDIR)/lib/x86 -c -o $@ $<
$(BUILD_UNIT)/unit-vmx: $(BUILD_UNIT)/test-vmx.o $(BUILD_UNIT)/lib-x86-vmx_decode.o \
	$(BUILD_UNIT)/lib-printf.o $(BUILD_UNIT)/lib-string.o
check-unit: $(BUILD_UNIT)/unit-vmx
