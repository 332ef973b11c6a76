/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * The supervisor's table of traced threads, keyed by thread id, each with
 * one block holding the per-thread state of every module.
 */
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* Alignment of each module's state inside a thread's block. */
#define STATE_ALIGN 16

static void *thread_tree;
static size_t live_threads;
static size_t peak_threads;
static size_t state_block_size;

void thread_table_setup(const struct module_list *modules)
{
	size_t offset = 0;

	for (size_t i = 0; i < modules->count; i++) {
		struct pseudo_module_ctx *ctx = modules->items[i];

		offset =
			(offset + STATE_ALIGN - 1) & ~(size_t)(STATE_ALIGN - 1);
		ctx->state_offset = offset;
		offset += ctx->desc->state_size;
	}
	state_block_size = offset;
}

static int compare_tids(const void *a, const void *b)
{
	const struct pseudo_thread *x = a;
	const struct pseudo_thread *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

struct pseudo_thread *thread_find(pid_t tid)
{
	struct pseudo_thread key = { .tid = tid };
	struct pseudo_thread **node = tfind(&key, &thread_tree, compare_tids);

	return node ? *node : NULL;
}

struct pseudo_thread *thread_new_detached(pid_t tid)
{
	struct pseudo_thread *thread = calloc(1, sizeof(*thread));

	if (!thread)
		return NULL;
	thread->tid = tid;
	thread->tgid = tid;
	if (state_block_size) {
		thread->state = calloc(1, state_block_size);
		if (!thread->state) {
			free(thread);
			return NULL;
		}
	}
	return thread;
}

void thread_free_detached(struct pseudo_thread *thread)
{
	if (!thread)
		return;
	free(thread->pending);
	free(thread->state);
	free(thread);
}

struct pseudo_thread *thread_add(pid_t tid)
{
	struct pseudo_thread *thread = thread_new_detached(tid);

	if (!thread)
		return NULL;
	if (!tsearch(thread, &thread_tree, compare_tids)) {
		thread_free_detached(thread);
		return NULL;
	}
	if (++live_threads > peak_threads)
		peak_threads = live_threads;
	return thread;
}

void thread_remove(struct pseudo_thread *thread)
{
	tdelete(thread, &thread_tree, compare_tids);
	live_threads--;
	thread_free_detached(thread);
}

void thread_rename(struct pseudo_thread *thread, pid_t new_tid)
{
	tdelete(thread, &thread_tree, compare_tids);
	thread->tid = new_tid;
	/* The node was just freed, so tsearch can allocate it again. */
	tsearch(thread, &thread_tree, compare_tids);
}

size_t thread_state_size(void)
{
	return state_block_size;
}

size_t thread_count(void)
{
	return live_threads;
}

size_t thread_peak_count(void)
{
	return peak_threads;
}

void *thread_module_state(struct pseudo_thread *thread,
			  const struct pseudo_module_ctx *ctx)
{
	if (!thread || !ctx->desc->state_size)
		return NULL;
	return thread->state + ctx->state_offset;
}

static bool creates_thread(enum pseudo_event_type type)
{
	return type == PSEUDO_EVENT_START || type == PSEUDO_EVENT_CLONE ||
	       type == PSEUDO_EVENT_FORK || type == PSEUDO_EVENT_VFORK;
}

static int dispatch_one(struct pseudo_module_ctx *ctx,
			struct pseudo_event *event,
			struct pseudo_thread *parent)
{
	size_t size = ctx->desc->state_size;

	event->state = thread_module_state(event->thread, ctx);
	event->parent_state = creates_thread(event->type)
				      ? thread_module_state(parent, ctx)
				      : NULL;
	if (ctx->desc->event)
		return ctx->desc->event(ctx, event);
	if (size && event->parent_state)
		memcpy(event->state, event->parent_state, size);
	return 0;
}

int thread_dispatch_event(const struct module_list *modules,
			  struct pseudo_event *event,
			  struct pseudo_thread *parent)
{
	int first_error = 0;

	if (event->type == PSEUDO_EVENT_EXIT) {
		for (size_t i = modules->count; i-- > 0;)
			dispatch_one(modules->items[i], event, parent);
		return 0;
	}
	for (size_t i = 0; i < modules->count; i++) {
		int err = dispatch_one(modules->items[i], event, parent);

		if (err && !first_error) {
			pseudo_error(modules->items[i],
				     "cannot handle an event of thread %d: "
				     "the thread is killed",
				     event->tid);
			first_error = err;
		}
	}
	if (creates_thread(event->type))
		event->thread->flags |= THREAD_HAS_STATE;
	return first_error;
}

/* twalk() takes no context argument. */
static pid_t walk_tgid;
static pid_t *walk_tids;
static size_t walk_count;
static size_t walk_max;

static void collect_thread(const void *node, VISIT visit, int depth)
{
	const struct pseudo_thread *thread =
		*(struct pseudo_thread *const *)node;

	(void)depth;
	if ((visit == postorder || visit == leaf) &&
	    thread->tgid == walk_tgid && walk_count < walk_max)
		walk_tids[walk_count++] = thread->tid;
}

size_t thread_list_of_process(pid_t tgid, pid_t *tids, size_t max)
{
	walk_tgid = tgid;
	walk_tids = tids;
	walk_count = 0;
	walk_max = max;
	twalk(thread_tree, collect_thread);
	return walk_count;
}

struct pending_call *thread_pending(struct pseudo_thread *thread)
{
	if (!thread->pending)
		thread->pending = calloc(1, sizeof(*thread->pending));
	return thread->pending;
}

pid_t thread_read_tgid(pid_t tid)
{
	char path[64];
	char line[256];
	pid_t tgid = tid;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	file = fopen(path, "re");
	if (!file)
		return tid;
	while (fgets(line, sizeof(line), file))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(file);
	return tgid;
}
