"""The sandbox's own processes and files: find, kill and reap them, wipe a child's folder."""

import ctypes
import os
import shutil
import signal

_libc = ctypes.CDLL(None, use_errno=True)  # loaded once, not before every fork


def pids():
    me = os.getpid()
    return [int(name) for name in os.listdir("/proc") if name.isdigit() and int(name) != me]


def descendants(root):
    parents = {}
    for pid in pids():
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                parents[pid] = int(f.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = [], [root]
    while frontier:
        below = [pid for pid, parent in parents.items() if parent in frontier]
        found += below
        frontier = below
    return found


def signal_quietly(pid, sig):
    try:
        os.kill(pid, sig)
    except OSError:
        pass


def describe_status(status):
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"it was killed by signal {signal.Signals(number).name}"
        except ValueError:
            return f"it was killed by signal {number}"
    return f"it exited with code {os.WEXITSTATUS(status)}"


def empty(folder):
    try:
        os.chmod(folder, 0o755)
        entries = os.listdir(folder)
    except OSError:
        return
    for name in entries:
        remove(os.path.join(folder, name))


def remove(path):
    def unlock(function, target, error):
        try:
            os.chmod(os.path.dirname(target) or ".", 0o700)
            os.chmod(target, 0o700)
            function(target)
        except OSError:
            pass

    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, onerror=unlock)
    else:
        try:
            os.unlink(path)
        except OSError:
            pass


def wipe_ipc():
    """Remove every System V message queue, semaphore set and shared memory segment this
    process may see: the next submission must not find what the last one left there. Only
    where the sandbox has an IPC namespace of its own (bubblewrap)."""
    for kind, remove_id in (("msg", lambda i: _libc.msgctl(i, 0, None)),
                            ("sem", lambda i: _libc.semctl(i, 0, 0)),
                            ("shm", lambda i: _libc.shmctl(i, 0, None))):
        try:
            with open(f"/proc/sysvipc/{kind}") as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            remove_id(int(row.split()[1]))  # IPC_RMID


def tasks_of(uid):
    count = 0
    for pid in [*pids(), os.getpid()]:
        try:
            with open(f"/proc/{pid}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
            if int(fields["Uid"].split()[0]) == uid:
                count += int(fields["Threads"])
        except (OSError, KeyError, ValueError):
            continue
    return count




def processes_of(uid):
    """The live processes of `uid` other than this one (zombies are left to be reaped)."""
    found = []
    for pid in pids():
        try:
            with open(f"/proc/{pid}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
            if int(fields["Uid"].split()[0]) == uid and not fields["State"].strip().startswith("Z"):
                found.append(pid)
        except (OSError, KeyError, ValueError):
            continue
    return found
