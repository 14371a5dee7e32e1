#!/usr/bin/env python3
"""dslab's packet delayer: holds packets that nftables/iptables queued to NFQUEUE for a
fixed time (plus optional jitter), then lets them go on.

The lab's kernel has no netem qdisc, so a delay fault is this: a rule in the lab's switch
namespace queues the matching packets, and this process (started inside that namespace,
tracked by PID in the lab's journal) gives each its verdict `delay` ms later. With
`--delay-ms 0` it only makes the verdict asynchronous, which a reject fault needs (an ICMP
error generated while the sender's socket is still locked in connect() is dropped by the
sender's kernel).

    dslab-delayer.py --queue N --delay-ms D [--jitter-ms J]

Prints `ready` once bound to the queue; SIGTERM ends it (queued packets are accepted first).
It needs libnetfilter_queue (Debian: libnetfilter-queue1), loaded with ctypes.
"""
import argparse
import ctypes
import ctypes.util
import heapq
import os
import random
import select
import signal
import socket
import sys
import time

NF_ACCEPT = 1
NFQNL_COPY_META = 1


class PacketHeader(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("packet_id", ctypes.c_uint32), ("hw_protocol", ctypes.c_uint16), ("hook", ctypes.c_uint8)]


def load_library():
    name = ctypes.util.find_library("netfilter_queue") or "libnetfilter_queue.so.1"
    try:
        return ctypes.CDLL(name, use_errno=True)
    except OSError as err:
        sys.stderr.write(f"cannot load libnetfilter_queue ({err}): install it (Debian: apt-get install libnetfilter-queue1)\n")
        sys.exit(3)


def main():
    parser = argparse.ArgumentParser(description="delay NFQUEUE packets")
    parser.add_argument("--queue", type=int, required=True)
    parser.add_argument("--delay-ms", type=float, required=True)
    parser.add_argument("--jitter-ms", type=float, default=0.0)
    args = parser.parse_args()
    if not 0 <= args.queue <= 65535 or args.delay_ms < 0 or args.jitter_ms < 0:
        parser.error("queue must be 0-65535, delay and jitter must not be negative")

    lib = load_library()
    lib.nfq_open.restype = ctypes.c_void_p
    lib.nfq_create_queue.restype = ctypes.c_void_p
    lib.nfq_create_queue.argtypes = [ctypes.c_void_p, ctypes.c_uint16, ctypes.c_void_p, ctypes.c_void_p]
    lib.nfq_set_mode.argtypes = [ctypes.c_void_p, ctypes.c_uint8, ctypes.c_uint32]
    lib.nfq_set_queue_maxlen.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    lib.nfq_fd.argtypes = [ctypes.c_void_p]
    lib.nfq_handle_packet.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    lib.nfq_get_msg_packet_hdr.restype = ctypes.POINTER(PacketHeader)
    lib.nfq_get_msg_packet_hdr.argtypes = [ctypes.c_void_p]
    lib.nfq_set_verdict.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_void_p]
    lib.nfq_destroy_queue.argtypes = [ctypes.c_void_p]
    lib.nfq_close.argtypes = [ctypes.c_void_p]

    handle = lib.nfq_open()
    if not handle:
        sys.stderr.write(f"nfq_open failed ({os.strerror(ctypes.get_errno())}): run it as root inside the lab's switch namespace\n")
        sys.exit(3)

    pending = []  # heap of (due, sequence, packet id)
    sequence = 0
    delay = args.delay_ms / 1000.0
    jitter = args.jitter_ms / 1000.0

    CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)

    def on_packet(qh, _nfmsg, nfa, _data):
        nonlocal sequence
        header = lib.nfq_get_msg_packet_hdr(nfa)
        if not header:
            return 0
        packet_id = socket.ntohl(header.contents.packet_id)
        wait = delay + (random.uniform(-jitter, jitter) if jitter > 0 else 0.0)
        if wait <= 0:
            lib.nfq_set_verdict(qh, packet_id, NF_ACCEPT, 0, None)
            return 0
        sequence += 1
        heapq.heappush(pending, (time.monotonic() + wait, sequence, packet_id))
        return 0

    callback = CALLBACK(on_packet)
    queue = lib.nfq_create_queue(handle, args.queue, ctypes.cast(callback, ctypes.c_void_p), None)
    if not queue:
        sys.stderr.write(f"cannot bind NFQUEUE {args.queue} ({os.strerror(ctypes.get_errno())}): is another delayer using it?\n")
        sys.exit(3)
    if lib.nfq_set_mode(queue, NFQNL_COPY_META, 0) < 0:
        sys.stderr.write("nfq_set_mode failed\n")
        sys.exit(3)
    lib.nfq_set_queue_maxlen(queue, 65536)
    fd = lib.nfq_fd(handle)
    # a big receive buffer: a burst of queued packets must not be lost (ENOBUFS)
    sock = socket.socket(fileno=os.dup(fd))
    try:
        sock.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)  # SO_RCVBUFFORCE
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)

    stopping = {"now": False}

    def stop(_signum, _frame):
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stdout.write("ready\n")
    sys.stdout.flush()

    buffer = ctypes.create_string_buffer(65536)
    while not stopping["now"]:
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, _, packet_id = heapq.heappop(pending)
            lib.nfq_set_verdict(queue, packet_id, NF_ACCEPT, 0, None)
        timeout = max(0.0, pending[0][0] - now) if pending else 0.5
        try:
            readable, _, _ = select.select([fd], [], [], timeout)
        except InterruptedError:
            continue
        if not readable:
            continue
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            continue
        except OSError as err:
            if err.errno == 105:  # ENOBUFS: the kernel dropped queue messages; go on
                continue
            raise
        ctypes.memmove(buffer, data, len(data))
        lib.nfq_handle_packet(handle, buffer, len(data))

    for _, _, packet_id in pending:
        lib.nfq_set_verdict(queue, packet_id, NF_ACCEPT, 0, None)
    lib.nfq_destroy_queue(queue)
    lib.nfq_close(handle)


if __name__ == "__main__":
    main()
