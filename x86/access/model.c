// SPDX-License-Identifier: MIT
/*
 * What an access must do, from SDM vol. 3A 4.6 (access rights: 4.6.1 for
 * user/supervisor, R/W, XD, CR0.WP, CR4.SMEP, CR4.SMAP with EFLAGS.AC;
 * 4.6.2 protection keys), 4.7 (the #PF error code: P, W/R, U/S, RSVD, I/D
 * only with EFER.NXE or CR4.SMEP, PK) and 4.8 (accessed and dirty flags);
 * APM vol. 2 5.4-5.6, 8.4.2 agree on all of it. Only the outcome the
 * architecture fixes is checked: for an access that faults, the error code,
 * CR2 and a clear dirty flag (nothing was written); for one that does not,
 * the accessed flag of every entry of the translation and the dirty flag of
 * the leaf set exactly for a write.
 */
#include "access.h"

struct aresult acc_expect(const struct amap *m, const struct arights *r,
			  const struct acc_env *e, enum acc a)
{
	bool user = acc_user(a), write = acc_write(a), fetch = acc_fetch(a);
	bool ac = a == ACC_SR_AC || a == ACC_SW_AC;
	uint32_t ec = (write ? PFERR_W : 0) | (user ? PFERR_U : 0) |
		      (fetch && (e->nxe || e->smep) ? PFERR_I : 0);
	struct aresult res = { .cr2_ok = true, .levels = m->top - m->leaf + 1 };
	bool deny = false, pk = false;

	if (!r->present || r->rsvd) {
		res.fault = true;
		res.ec = ec | (r->present ? PFERR_P | PFERR_RSVD : 0);
		return res;
	}
	if (fetch) {
		deny = (e->nxe && r->nx) || (user ? !r->u : r->u && e->smep);
	} else {
		if (user)
			deny = !r->u || (write && !r->w);
		else
			deny = (r->u && e->smap && !ac) || (write && !r->w && e->wp);
		/* Keys apply to data accesses to user-mode addresses (4.6.2). */
		if (e->pke && r->u) {
			uint32_t rights = e->pkru >> (2 * r->pkey) & 3;

			pk = (rights & 1) || ((rights & 2) && write && (user || e->wp));
		}
	}
	if (deny || pk) {
		res.fault = true;
		res.ec = ec | PFERR_P | (pk ? PFERR_PK : 0);
		return res;
	}
	res.a = (1U << res.levels) - 1;
	res.d = write;
	return res;
}

static void outcome_str(const struct aresult *r, char *buf, size_t len)
{
	size_t n;

	if (r->fault) {
		snprintf(buf, len, "#PF(%#x)%s%s", r->ec, r->cr2_ok ? "" : " CR2 wrong",
			 r->d ? " D1" : "");
		return;
	}
	n = snprintf(buf, len, "no #PF A");
	for (int i = r->levels - 1; i >= 0 && n + 1 < len; i--)
		buf[n++] = r->a >> i & 1 ? '1' : '0';
	snprintf(buf + n, len - n, " D%d", r->d);
}

/* One check: the access's outcome against the model's, the combination in @fmt. */
bool acc_check(const struct aresult *want, const struct aresult *got, const char *fmt, ...)
{
	char e[40] = "", g[40] = "";
	bool pass;
	va_list ap;

	if (want->fault)
		pass = got->fault && got->ec == want->ec && got->cr2_ok && !got->d;
	else
		pass = !got->fault && got->a == want->a && got->d == want->d;
	if (!pass) {
		outcome_str(want, e, sizeof(e));
		outcome_str(got, g, sizeof(g));
	}
	va_start(ap, fmt);
	vreport_decoded(pass, e, g, fmt, ap);
	va_end(ap);
	return pass;
}
