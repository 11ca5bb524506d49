// SPDX-License-Identifier: GPL-2.0-only
/* DW_LANG_* names as pahole's --lang/--lang_exclude spell them. */
#include <dwarf.h>
#include <string.h>

#include "loader.h"

static const struct {
	uint32_t code;
	const char *name;
} langs[] = {
	{ DW_LANG_Ada83, "ada83" },	{ DW_LANG_Ada95, "ada95" },
	{ DW_LANG_BLISS, "bliss" },	{ DW_LANG_C11, "c11" },
	{ DW_LANG_C89, "c89" },		{ DW_LANG_C99, "c99" },
	{ DW_LANG_C, "c" },		{ DW_LANG_Cobol74, "cobol74" },
	{ DW_LANG_Cobol85, "cobol85" },	{ DW_LANG_C_plus_plus_03, "c++03" },
	{ DW_LANG_C_plus_plus_11, "c++11" }, { DW_LANG_C_plus_plus_14, "c++14" },
	{ DW_LANG_C_plus_plus, "c++" },	{ DW_LANG_D, "d" },
	{ DW_LANG_Dylan, "dylan" },	{ DW_LANG_Fortran03, "fortran03" },
	{ DW_LANG_Fortran08, "fortran08" }, { DW_LANG_Fortran77, "fortran77" },
	{ DW_LANG_Fortran90, "fortran90" }, { DW_LANG_Fortran95, "fortran95" },
	{ DW_LANG_Go, "go" },		{ DW_LANG_Haskell, "haskell" },
	{ DW_LANG_Java, "java" },	{ DW_LANG_Julia, "julia" },
	{ DW_LANG_Modula2, "modula2" },	{ DW_LANG_Modula3, "modula3" },
	{ DW_LANG_ObjC, "objc" },	{ DW_LANG_ObjC_plus_plus, "objc++" },
	{ DW_LANG_OCaml, "ocaml" },	{ DW_LANG_OpenCL, "opencl" },
	{ DW_LANG_Pascal83, "pascal83" }, { DW_LANG_PLI, "pli" },
	{ DW_LANG_Python, "python" },	{ DW_LANG_RenderScript, "renderscript" },
	{ DW_LANG_Rust, "rust" },	{ DW_LANG_Swift, "swift" },
	{ DW_LANG_UPC, "upc" },
};

const char *loader__lang_name(uint32_t lang)
{
	size_t i;

	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		if (langs[i].code == lang)
			return langs[i].name;
	return NULL;
}

uint32_t loader__lang_code(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		if (!strcmp(langs[i].name, name))
			return langs[i].code;
	return 0;
}
