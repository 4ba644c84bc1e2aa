/* SPDX-License-Identifier: MIT */
/*
 * Lifts every name rename.h defines (and any host macro of the same name).
 * No include guard: unit.h includes it before and after the lib headers.
 * Keep the list in step with rename.h.
 */
#undef	vsnprintf
#undef	snprintf
#undef	printf
#undef	vprintf
#undef	puts
#undef	memset
#undef	memcpy
#undef	memmove
#undef	memcmp
#undef	memchr
#undef	strlen
#undef	strnlen
#undef	strcmp
#undef	strncmp
#undef	strchr
#undef	strrchr
#undef	strstr
#undef	strcpy
#undef	strncpy
#undef	strlcpy
#undef	strcat
#undef	strspn
#undef	strcspn
#undef	strtoul
#undef	strtol
#undef	strtoull
#undef	strtoll
#undef	atoi
#undef	atol
#undef	isspace
#undef	isdigit
#undef	isxdigit
#undef	isalpha
#undef	isalnum
#undef	isupper
#undef	islower
#undef	isprint
#undef	tolower
#undef	toupper
#undef	malloc
#undef	calloc
#undef	memalign
#undef	free
