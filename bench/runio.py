#!/usr/bin/env python3
# bench/runio.py -- run one command and report what it cost:
#   wall_s user_s sys_s rchar read_bytes
# rchar: bytes the process (all its threads) got from read(2)/pread(2)
# and the like; read_bytes: bytes fetched from the storage layer (only
# non-zero on a cold cache).  Both from /proc/PID/io, read after the
# process exited but before it is reaped (waitid WNOWAIT), so nothing
# is missed.  stdout/stderr of the command go to the files given.
#
#   python3 bench/runio.py OUT ERR cmd args...
import os
import sys
import time


def main():
    out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        fo = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        fe = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fo, 1)
        os.dup2(fe, 2)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    wall = time.monotonic() - t0
    io = {}
    try:
        with open('/proc/%d/io' % pid) as f:
            for line in f:
                k, v = line.split(':')
                io[k.strip()] = int(v)
    except OSError:
        pass
    _, status, ru = os.wait4(pid, 0)
    print('%.3f %.3f %.3f %s %s %d' % (wall, ru.ru_utime, ru.ru_stime,
          io.get('rchar', '-'), io.get('read_bytes', '-'),
          os.waitstatus_to_exitcode(status)))


main()
