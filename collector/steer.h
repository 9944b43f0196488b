/*
 * collector/steer.h -- which of flowcapd's workers owns an exporter, and
 * the kernel program that delivers each datagram to that worker.
 *
 * With -W N, each address flowcapd listens on has N sockets in one
 * SO_REUSEPORT group, socket i read by worker i.  An exporter's
 * template cache, sampling state, sequence numbers and held data sets
 * live in one worker only (its owner), so every datagram of that
 * exporter must be decoded there, whichever source port it came from
 * (a template and its data can come from different ports: a line card
 * each, or an exporter restarted on a new port).  The owner is a hash
 * of the exporter's address modulo N.
 *
 * steer_attach() gives the group a classic BPF program
 * (SO_ATTACH_REUSEPORT_CBPF) that computes the same hash over the
 * datagram's IP source address, so the kernel queues each datagram on
 * its owner's socket and no worker hands datagrams to another.  A
 * datagram that still reaches another worker (the kernel refused the
 * program, or an sFlow agent named in the datagram is not its source
 * address) is handed over to its owner (collector/worker.c); the
 * program saves that copy, it is not needed for correctness.
 *
 * The hash: the IPv4 address as a 32-bit number, or the XOR of an IPv6
 * address's four 32-bit words; then h ^= h >> 16; h ^= h >> 8; owner =
 * h % N.  Exporters numbered consecutively (router loopbacks) land on
 * the workers in turn.
 */
#ifndef COLLECTOR_STEER_H
#define COLLECTOR_STEER_H

#include <stdbool.h>

#include "common/base/addr.h"

#define STEER_MAX_WORKERS	64	/* -W at most */

/* The worker (0..nworkers-1) that owns exporter address a. */
unsigned steer_owner(const struct nf_addr *a, unsigned nworkers);

/*
 * Attach the program to the SO_REUSEPORT group of socket fd (any of
 * its members), for a group of nworkers sockets (2..STEER_MAX_WORKERS)
 * joined in worker order.  Returns 0, or -1 with errno set.
 */
int	steer_attach(int fd, unsigned nworkers);

#endif /* COLLECTOR_STEER_H */
