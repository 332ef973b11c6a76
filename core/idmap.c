/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * User namespace id maps of traced threads, read from /proc/TID/uid_map
 * and gid_map and cached per namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"

/* The kernel allows at most 340 lines in a map (user_namespaces(7)). */
#define MAX_EXTENTS 340
#define CACHE_SIZE 8

struct extent {
	uint32_t inside;
	uint32_t outside;
	uint32_t count;
};

struct idmap {
	struct extent extents[MAX_EXTENTS];
	size_t count;
};

struct cached_namespace {
	dev_t dev;
	ino_t ino;
	bool valid;
	struct idmap maps[2];
};

static struct cached_namespace cache[CACHE_SIZE];
static size_t next_victim;

static int read_map(pid_t tid, bool gid, struct idmap *map)
{
	char path[64];
	FILE *file;
	unsigned long inside;
	unsigned long outside;
	unsigned long count;

	snprintf(path, sizeof(path), "/proc/%d/%s", tid,
		 gid ? "gid_map" : "uid_map");
	file = fopen(path, "re");
	if (!file)
		return -errno;
	map->count = 0;
	while (map->count < MAX_EXTENTS &&
	       fscanf(file, "%lu %lu %lu", &inside, &outside, &count) == 3)
		map->extents[map->count++] = (struct extent){
			.inside = inside,
			.outside = outside,
			.count = count,
		};
	fclose(file);
	return 0;
}

/* The maps of TID's user namespace, from the cache when possible. */
static const struct cached_namespace *lookup(pid_t tid)
{
	struct cached_namespace *slot;
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", tid);
	if (stat(path, &st) < 0)
		return NULL;
	for (size_t i = 0; i < CACHE_SIZE; i++)
		if (cache[i].valid && cache[i].dev == st.st_dev &&
		    cache[i].ino == st.st_ino)
			return &cache[i];
	slot = &cache[next_victim];
	next_victim = (next_victim + 1) % CACHE_SIZE;
	slot->valid = false;
	if (read_map(tid, false, &slot->maps[0]) < 0 ||
	    read_map(tid, true, &slot->maps[1]) < 0)
		return NULL;
	slot->dev = st.st_dev;
	slot->ino = st.st_ino;
	slot->valid = true;
	return slot;
}

int idmap_contains(pid_t tid, uint32_t id, bool gid)
{
	const struct cached_namespace *ns = lookup(tid);
	const struct idmap *map;

	if (!ns)
		return -ESRCH;
	map = &ns->maps[gid];
	for (size_t i = 0; i < map->count; i++)
		if (id >= map->extents[i].inside &&
		    id - map->extents[i].inside < map->extents[i].count)
			return 1;
	return 0;
}

static uint32_t overflow_id(bool gid)
{
	const char *path = gid ? "/proc/sys/kernel/overflowgid"
			       : "/proc/sys/kernel/overflowuid";
	unsigned int value = 65534;
	FILE *file = fopen(path, "re");

	if (file) {
		if (fscanf(file, "%u", &value) != 1)
			value = 65534;
		fclose(file);
	}
	return value;
}

uint32_t idmap_to_inside(pid_t tid, uint32_t outside, bool gid)
{
	const struct cached_namespace *ns = lookup(tid);

	if (ns) {
		const struct idmap *map = &ns->maps[gid];

		for (size_t i = 0; i < map->count; i++) {
			const struct extent *e = &map->extents[i];

			if (outside >= e->outside &&
			    outside - e->outside < e->count)
				return e->inside + (outside - e->outside);
		}
	}
	return overflow_id(gid);
}
