// SPDX-License-Identifier: GPL-2.0-only
/* The environment of a benchmark run (see env.h). */
#include <cpuid.h>
#include <dirent.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "env.h"
#include "json.h"

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256], *v;

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10))
			continue;
		v = strchr(line, ':');
		if (v) {
			v += 1 + (v[1] == ' ');
			v[strcspn(v, "\n")] = '\0';
			snprintf(buf, len, "%s", v);
		}
		break;
	}
	fclose(f);
}

static void hypervisor(struct bench_env *e)
{
	unsigned int a, b, c, d;

	e->hypervisor[0] = '\0';
#if defined(__x86_64__) || defined(__i386__)
	__cpuid(1, a, b, c, d);
	if (c & (1U << 31)) {
		__cpuid(0x40000000, a, b, c, d);
		memcpy(e->hypervisor, &b, 4);
		memcpy(e->hypervisor + 4, &c, 4);
		memcpy(e->hypervisor + 8, &d, 4);
		e->hypervisor[12] = '\0';
	}
#endif
	if (!strncmp(e->hypervisor, "KVMKVMKVM", 9))
		snprintf(e->virt, sizeof(e->virt), "KVM");
	else if (!strncmp(e->hypervisor, "TCGTCGTCGTCG", 12) ||
		 strstr(e->cpu, "QEMU"))
		snprintf(e->virt, sizeof(e->virt), "QEMU TCG (emulated)");
	else if (e->hypervisor[0])
		snprintf(e->virt, sizeof(e->virt), "%s", e->hypervisor);
	else
		snprintf(e->virt, sizeof(e->virt), "none");
	/* The runner knows best: tools/bench/run-guest.sh says TCG. */
	if (strstr(e->host, "TCG") && !strstr(e->virt, "TCG"))
		snprintf(e->virt, sizeof(e->virt), "QEMU TCG (emulated)");
	e->emulated = strstr(e->virt, "TCG") != NULL;
}

static void mitigations(char *buf, size_t len)
{
	DIR *d = opendir("/sys/devices/system/cpu/vulnerabilities");
	unsigned int vuln = 0, mit = 0, ok = 0;
	char path[512], v[256];
	struct dirent *de;

	snprintf(buf, len, "unknown");
	if (!d)
		return;
	/* readdir_r() is deprecated; one thread reads this directory. */
	// cppcheck-suppress readdirCalled
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/vulnerabilities/%s",
			 de->d_name);
		read_line(path, v, sizeof(v));
		if (!strncmp(v, "Vulnerable", 10))
			vuln++;
		else if (!strncmp(v, "Mitigation", 10))
			mit++;
		else
			ok++;
	}
	closedir(d);
	snprintf(buf, len, "%u mitigated, %u vulnerable, %u not affected",
		 mit, vuln, ok);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static long clock_cost(void)
{
	struct timespec a, b;
	long d[101];
	int i;

	for (i = 0; i < 101; i++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_MONOTONIC, &b);
		d[i] = (b.tv_sec - a.tv_sec) * 1000000000L +
		       (b.tv_nsec - a.tv_nsec);
	}
	qsort(d, 101, sizeof(d[0]), cmp_long);
	return d[50];
}

void bench_env_read(struct bench_env *e)
{
	struct utsname u;
	struct timespec ts;
	struct tm tm;
	cpu_set_t set;
	time_t now = time(NULL);
	const char *host = getenv("IPCMBOX_BENCH_HOST");
	const char *timing = getenv("IPCMBOX_BENCH_TIMING");

	memset(e, 0, sizeof(*e));
	if (gmtime_r(&now, &tm))
		strftime(e->date, sizeof(e->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!uname(&u)) {
		snprintf(e->kernel, sizeof(e->kernel), "%s %s", u.release,
			 u.version);
		snprintf(e->machine, sizeof(e->machine), "%s", u.machine);
	}
	cpu_model(e->cpu, sizeof(e->cpu));
	e->ncpus = sched_getaffinity(0, sizeof(set), &set) ? 1 : CPU_COUNT(&set);
	snprintf(e->host, sizeof(e->host), "%s", host ? host : "");
	/* run-guest.sh sets it for an instruction-count (icount) guest. */
	snprintf(e->timing, sizeof(e->timing), "%s",
		 timing && *timing ? timing : "wall clock");
	e->icount = strstr(e->timing, "icount") != NULL;
	hypervisor(e);
	read_line("/proc/cmdline", e->cmdline, sizeof(e->cmdline));
	mitigations(e->mitigations, sizeof(e->mitigations));
	clock_getres(CLOCK_MONOTONIC, &ts);
	e->clock_res_ns = ts.tv_nsec;
	e->clock_cost_ns = clock_cost();
}

void bench_env_print(FILE *f, const struct bench_env *e)
{
	fprintf(f, "date:        %s\n", e->date);
	fprintf(f, "kernel:      %s (%s)\n", e->kernel, e->machine);
	fprintf(f, "cpu:         %s, %d CPUs usable\n", e->cpu, e->ncpus);
	fprintf(f, "virtual:     %s%s%s\n", e->virt,
		e->hypervisor[0] ? ", cpuid " : "", e->hypervisor);
	if (e->host[0])
		fprintf(f, "host:        %s\n", e->host);
	fprintf(f, "cmdline:     %s\n", e->cmdline);
	fprintf(f, "mitigations: %s\n", e->mitigations);
	fprintf(f, "clock:       resolution %ld ns, a read costs %ld ns\n",
		e->clock_res_ns, e->clock_cost_ns);
	bench_env_timing(f, e);
	if (e->icount)
		fprintf(f, "NOTE: instruction-count mode: a nanosecond of guest time is an\n"
			"      instruction executed, so times repeat from run to run whatever\n"
			"      the host does, but know no cache misses or real wake-up latency.\n");
	else if (e->emulated)
		fprintf(f, "NOTE: emulated CPU (QEMU TCG): absolute times are not comparable\n"
			"      with real hardware; ratios between mechanisms are indicative only,\n"
			"      and so are CPU time and context switches per message.\n");
}

void bench_env_timing(FILE *f, const struct bench_env *e)
{
	fprintf(f, "timing:      %s\n", e->timing);
}

void bench_env_json(FILE *f, const struct bench_env *e)
{
	static const char *const keys[] = {
		"date", "kernel", "machine", "cpu", "hypervisor", "virtual",
		"host", "cmdline", "mitigations", "timing",
	};
	const char *vals[] = {
		e->date, e->kernel, e->machine, e->cpu, e->hypervisor, e->virt,
		e->host, e->cmdline, e->mitigations, e->timing,
	};
	unsigned int i;

	fputc('{', f);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		fprintf(f, "\"%s\": ", keys[i]);
		json_str(f, vals[i]);
		fputs(", ", f);
	}
	fprintf(f, "\"cpus\": %d, \"emulated\": %s, \"icount\": %s, \"clock_res_ns\": %ld, \"clock_cost_ns\": %ld}",
		e->ncpus, e->emulated ? "true" : "false",
		e->icount ? "true" : "false", e->clock_res_ns,
		e->clock_cost_ns);
}
