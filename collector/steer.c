/*
 * collector/steer.c -- the exporter-to-worker hash, in C and as the
 * classic BPF program of an SO_REUSEPORT group (collector/steer.h).
 *
 * In a reuseport program the packet data starts at the UDP payload;
 * the IP header is reached through the SKF_NET_OFF base, and a 32-bit
 * load gives the word in network order as a number (the C side reads
 * the address bytes big-endian to match).  The program returns the
 * index of the group member, which is the order the sockets joined in.
 * An index the group does not have (never, with the modulo) would make
 * the kernel fall back to its own hash.
 */
#include "common/base/compat.h"

#include <sys/socket.h>

#include <errno.h>
#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/steer.h"

#ifndef SO_ATTACH_REUSEPORT_CBPF
#define SO_ATTACH_REUSEPORT_CBPF	51
#endif

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

unsigned
steer_owner(const struct nf_addr *a, unsigned nworkers)
{
	uint32_t h;

	if (nworkers <= 1)
		return 0;
	if (addr_is_v4(a))
		h = be32(a->a + 12);
	else
		h = be32(a->a) ^ be32(a->a + 4) ^ be32(a->a + 8) ^
		    be32(a->a + 12);
	h ^= h >> 16;
	h ^= h >> 8;
	return h % nworkers;
}

int
steer_attach(int fd, unsigned nworkers)
{
	/* jump offsets count the instructions skipped */
	struct sock_filter prog[] = {
		/* 0: A = IP version */
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, (uint32_t)SKF_NET_OFF),
		BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 4),
		/* 2: IPv6 goes to 6, IPv4 to 3 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 6, 3, 0),
		/* 3: IPv4 source address in A, 0 in X */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    (uint32_t)(SKF_NET_OFF + 12)),
		BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 0),
		BPF_STMT(BPF_JMP | BPF_JA, 9),			/* to 15 */
		/* 6: IPv6 source address, its four words XORed */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    (uint32_t)(SKF_NET_OFF + 8)),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    (uint32_t)(SKF_NET_OFF + 12)),
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    (uint32_t)(SKF_NET_OFF + 16)),
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    (uint32_t)(SKF_NET_OFF + 20)),
		/* 15: IPv6 falls through with its last word in A and the
		   others XORed in X */
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),
		/* h ^= h >> 16; h ^= h >> 8 */
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 16),
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 8),
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),
		BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, nworkers),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sock_fprog fp = { .len = NF_NELEM(prog), .filter = prog };

	if (nworkers < 2 || nworkers > STEER_MAX_WORKERS) {
		errno = EINVAL;
		return -1;
	}
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &fp,
	    sizeof(fp));
}
