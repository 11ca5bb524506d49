// SPDX-License-Identifier: GPL-2.0-only
/*
 * writer_commit: the committer of writer.h, a thread that fsyncs and commits staged
 * outputs in the order they are handed over, so that the thread which encoded them does
 * not wait for the disk. Measured on Debian's full 6.1 amd64 flavour (4,023 modules in one
 * -J batch, ext4 without a journal): the two batch workers spent about a third of their
 * time asleep in fsync() and in the rename's discard of the replaced files' blocks.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "writer.h"

struct writer_committer {
	pthread_t tid;
	pthread_mutex_t lock;
	pthread_cond_t more;		/* an output was handed over, or finish() was called */
	pthread_cond_t room;		/* an output was taken */
	struct writer_staged *ring;
	unsigned int depth, head, count;
	int closing;
	int err;			/* the first commit's error */
	const struct diag *diag;
};

static void *committer_main(void *arg)
{
	struct writer_committer *c = arg;
	struct writer_staged st;
	int err;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->count && !c->closing)
			pthread_cond_wait(&c->more, &c->lock);
		if (!c->count)
			break;
		st = c->ring[c->head];
		c->head = (c->head + 1) % c->depth;
		c->count--;
		pthread_cond_signal(&c->room);
		pthread_mutex_unlock(&c->lock);
		err = writer__stage_commit(&st, c->diag);
		pthread_mutex_lock(&c->lock);
		if (err && !c->err)
			c->err = err;
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

int writer_committer__start(unsigned int depth, struct writer_committer **out,
			    const struct diag *diag)
{
	struct writer_committer *c = calloc(1, sizeof(*c));
	int err;

	*out = NULL;
	if (!c || !(c->ring = calloc(depth ? depth : 1, sizeof(*c->ring)))) {
		free(c);
		diag__err(diag, "cannot start the committer: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	depth = depth ? depth : 1;
	c->depth = depth;
	c->diag = diag;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->more, NULL);
	pthread_cond_init(&c->room, NULL);
	err = pthread_create(&c->tid, NULL, committer_main, c);
	if (err) {
		pthread_cond_destroy(&c->room);
		pthread_cond_destroy(&c->more);
		pthread_mutex_destroy(&c->lock);
		free(c->ring);
		free(c);
		return 0;	/* committed in place then */
	}
	*out = c;
	return 0;
}

void writer_committer__push(struct writer_committer *c, struct writer_staged *st)
{
	pthread_mutex_lock(&c->lock);
	while (c->count == c->depth)
		pthread_cond_wait(&c->room, &c->lock);
	c->ring[(c->head + c->count) % c->depth] = *st;
	c->count++;
	pthread_cond_signal(&c->more);
	pthread_mutex_unlock(&c->lock);
	/* The committer owns the file now. */
	*st = (struct writer_staged)WRITER_STAGED_INIT;
}

int writer_committer__finish(struct writer_committer *c)
{
	int err;

	pthread_mutex_lock(&c->lock);
	c->closing = 1;
	pthread_cond_signal(&c->more);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->tid, NULL);
	err = c->err;
	pthread_cond_destroy(&c->room);
	pthread_cond_destroy(&c->more);
	pthread_mutex_destroy(&c->lock);
	free(c->ring);
	free(c);
	return err;
}
