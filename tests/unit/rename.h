/* SPDX-License-Identifier: MIT */
/*
 * Forced into every lib/ source built for the host unit tests (-include):
 * the hvprobe libc names would otherwise collide with the host C library
 * the test programs compare them against.
 */
#define vsnprintf	hv_vsnprintf
#define snprintf	hv_snprintf
#define printf		hv_printf
#define vprintf		hv_vprintf
#define puts		hv_puts
#define memset		hv_memset
#define memcpy		hv_memcpy
#define memmove		hv_memmove
#define memcmp		hv_memcmp
#define memchr		hv_memchr
#define strlen		hv_strlen
#define strnlen		hv_strnlen
#define strcmp		hv_strcmp
#define strncmp		hv_strncmp
#define strchr		hv_strchr
#define strrchr		hv_strrchr
#define strstr		hv_strstr
#define strcpy		hv_strcpy
#define strncpy		hv_strncpy
#define strlcpy		hv_strlcpy
#define strcat		hv_strcat
#define strspn		hv_strspn
#define strcspn		hv_strcspn
#define strtoul		hv_strtoul
#define strtol		hv_strtol
#define strtoull	hv_strtoull
#define strtoll		hv_strtoll
#define atoi		hv_atoi
#define atol		hv_atol
#define isspace		hv_isspace
#define isdigit		hv_isdigit
#define isxdigit	hv_isxdigit
#define isalpha		hv_isalpha
#define isalnum		hv_isalnum
#define isupper		hv_isupper
#define islower		hv_islower
#define isprint		hv_isprint
#define tolower		hv_tolower
#define toupper		hv_toupper
#define malloc		hv_malloc
#define calloc		hv_calloc
#define memalign	hv_memalign
#define free		hv_free
