"""Confinement without namespaces or privileges: Landlock for files, seccomp for the rest.

A process confines itself and everything it will start: `no_new_privs`, a Landlock ruleset (read
some folders, write others, nothing else; no signals or abstract UNIX sockets beyond its own
domain where the ABI can say so), every capability dropped (root without capabilities cannot
bypass Landlock, e.g. with open_by_handle_at), and a seccomp filter (no sockets, no new
processes but threads, no exec, no ptrace, no leaving the process group, signals only to itself).

Only the standard library (ctypes): the kernel interfaces are three Landlock calls and one BPF
program, and this file is read where nothing but the interpreter is.
"""

import ctypes
import os
import platform
import struct

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
PR_CAPBSET_READ, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_GET_SECCOMP, PR_CAP_AMBIENT = (
    23, 24, 38, 21, 47)
PR_CAP_AMBIENT_CLEAR_ALL = 4
LINUX_CAPABILITY_VERSION_3 = 0x20080522
CAP_SETPCAP = 8

# Landlock's file access rights, and the ABI that first knows each.
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # what a file rule may hold
READ = EXECUTE | READ_FILE | READ_DIR
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1, 2
NET_BIND_TCP, NET_CONNECT_TCP = 1, 2


def kernel_abi():
    """The Landlock ABI version of the running kernel (0: no Landlock)."""
    version = _libc.syscall(SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0),
                            ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    return max(int(version), 0)


def seccomp_works():
    """Whether this kernel filters system calls (PR_GET_SECCOMP fails without CONFIG_SECCOMP)."""
    return _libc.prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0


def handled(abi):
    """(file rights, network rights, scopes) that a ruleset of Landlock ABI `abi` handles."""
    files = (1 << 13) - 1  # ABI 1: execute ... make_sym
    files |= REFER if abi >= 2 else 0
    files |= TRUNCATE if abi >= 3 else 0
    files |= IOCTL_DEV if abi >= 5 else 0
    net = NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0
    scopes = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0
    return files, net, scopes


def _check(result, what):
    if result < 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")
    return result


def no_new_privs():
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def landlock(abi, read, write, keep):
    """Restrict this thread (and what it starts) to reading `read`, writing `write`.

    Paths that do not exist are left out. `keep`, a list, receives the fds of the rules on
    /proc/<pid>, which the caller keeps open: a rule follows an inode, and an open fd keeps that
    inode the one /proc shows (procfs makes a new one once the old one is dropped).
    """
    files, net, scopes = handled(abi)
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    attr = ctypes.create_string_buffer(struct.pack("=QQQ", files, net, scopes)[:size], size)
    ruleset = _check(_libc.syscall(SYS_LANDLOCK_CREATE_RULESET, attr, ctypes.c_size_t(size),
                                   ctypes.c_uint32(0)), "landlock_create_ruleset")
    try:
        for paths, rights in ((read, READ), (write, files)):
            for path in paths:
                _add_rule(ruleset, path, rights & files, keep)
        _check(_libc.syscall(SYS_LANDLOCK_RESTRICT_SELF, ruleset, ctypes.c_uint32(0)),
               "landlock_restrict_self")
    finally:
        os.close(ruleset)


def _add_rule(ruleset, path, rights, keep):
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        if not os.path.isdir(f"/proc/self/fd/{fd}"):
            rights &= FILE_RIGHTS
        rule = ctypes.create_string_buffer(struct.pack("=Qi", rights, fd), 12)
        _check(_libc.syscall(SYS_LANDLOCK_ADD_RULE, ruleset, LANDLOCK_RULE_PATH_BENEATH, rule,
                             ctypes.c_uint32(0)), f"landlock_add_rule {path}")
    finally:
        if path.startswith("/proc/"):
            keep.append(fd)
        else:
            os.close(fd)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def drop_capabilities():
    """Empty the effective, permitted, inheritable and ambient sets, and the bounding set when
    allowed to (CAP_SETPCAP): root keeps no capability. A user without CAP_SETPCAP keeps its
    bounding set, which is harmless: with no_new_privs and no exec, nothing can gain from it."""
    header, data = _CapHeader(LINUX_CAPABILITY_VERSION_3, 0), (_CapData * 2)()
    _check(_libc.capget(ctypes.byref(header), data), "capget")
    if data[0].effective & (1 << CAP_SETPCAP):
        try:
            with open("/proc/sys/kernel/cap_last_cap") as f:
                last = int(f.read())
        except (OSError, ValueError):
            last = 63
        for cap in [*range(CAP_SETPCAP), *range(CAP_SETPCAP + 1, last + 1), CAP_SETPCAP]:
            if _libc.prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1:
                _check(_libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), f"dropping capability {cap}")
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header, data = _CapHeader(LINUX_CAPABILITY_VERSION_3, 0), (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), data), "capset")


# -- seccomp --------------------------------------------------------------------------------

AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
SYS_SECCOMP = {"x86_64": 317, "aarch64": 277}
RET_KILL_PROCESS, RET_ALLOW, RET_ERRNO = 0x80000000, 0x7FFF0000, 0x00050000
EPERM, ENOSYS = 1, 38
CLONE_THREAD = 0x00010000
CLONE_NAMESPACES = 0x7E020000  # CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET
O_ACCMODE, O_TRUNC = 3, 0x200
F_SETOWN, F_SETSIG, F_SETOWN_EX = 8, 10, 15
# ioctls that aim signals elsewhere (FIOSETOWN, SIOCSPGRP, TIOCSPGRP), type into a terminal
# (TIOCSTI), or change a file's flags (FS_IOC_SETFLAGS, FS_IOC_FSSETXATTR).
IOCTLS = (0x8901, 0x8902, 0x5410, 0x5412, 0x40086602, 0x401C5820)

# Refused outright, per architecture: sockets, processes, exec, tracing, namespaces and mounts,
# kernel objects that bypass the file rules, changing files' metadata (Landlock governs
# contents and names, not modes, owners, times or extended attributes), and System V and POSIX
# message queues, semaphores and shared memory (kept by the kernel after the process ends, and
# found by key or id: a message from one submission to the next), and watching files (inotify,
# fanotify: when the grader reads what the student may not).
_COMMON = {
    "pidfd_send_signal": 424, "io_uring_setup": 425, "io_uring_enter": 426,
    "io_uring_register": 427, "open_tree": 428, "move_mount": 429, "fsopen": 430,
    "fsconfig": 431, "fsmount": 432, "fspick": 433, "pidfd_open": 434, "pidfd_getfd": 438,
    "mount_setattr": 442, "fchmodat2": 452, "setxattrat": 463, "removexattrat": 466,
    "open_tree_attr": 467,
}
DENIED = {
    "x86_64": dict(_COMMON, socket=41, connect=42, accept=43, bind=49, listen=50, socketpair=53,
                   accept4=288, fork=57, vfork=58, execve=59, execveat=322, truncate=76,
                   chmod=90, fchmod=91, chown=92, fchown=93, lchown=94, fchownat=260,
                   fchmodat=268, utime=132, utimes=235, futimesat=261, utimensat=280,
                   setxattr=188, lsetxattr=189, fsetxattr=190, removexattr=197,
                   lremovexattr=198, fremovexattr=199, ptrace=101, process_vm_readv=310,
                   process_vm_writev=311, kcmp=312, setpgid=109, setsid=112, pivot_root=155,
                   chroot=161, mount=165, umount2=166, unshare=272, setns=308, reboot=169,
                   kexec_load=246, kexec_file_load=320, init_module=175, finit_module=313,
                   delete_module=176, add_key=248, request_key=249, keyctl=250, bpf=321,
                   perf_event_open=298, userfaultfd=323, name_to_handle_at=303,
                   open_by_handle_at=304, shmget=29, shmat=30, shmctl=31, semget=64,
                   semop=65, semctl=66, shmdt=67, msgget=68, msgsnd=69, msgrcv=70, msgctl=71,
                   semtimedop=220, mq_open=240, mq_unlink=241, mq_timedsend=242,
                   mq_timedreceive=243, mq_notify=244, mq_getsetattr=245,
                   inotify_add_watch=254, fanotify_init=300),
    "aarch64": dict(_COMMON, socket=198, socketpair=199, bind=200, listen=201, accept=202,
                    connect=203, accept4=242, execve=221, execveat=281, truncate=45,
                    fchmod=52, fchmodat=53, fchownat=54, fchown=55, utimensat=88,
                    setxattr=5, lsetxattr=6, fsetxattr=7, removexattr=14, lremovexattr=15,
                    fremovexattr=16, ptrace=117, process_vm_readv=270, process_vm_writev=271,
                    kcmp=272, setpgid=154, setsid=157, pivot_root=41, chroot=51, mount=40,
                    umount2=39, unshare=97, setns=268, reboot=142, kexec_load=104,
                    kexec_file_load=294, init_module=105, finit_module=273, delete_module=106,
                    add_key=217, request_key=218, keyctl=219, bpf=280, perf_event_open=241,
                    userfaultfd=282, name_to_handle_at=264, open_by_handle_at=265,
                    mq_open=180, mq_unlink=181, mq_timedsend=182, mq_timedreceive=183,
                    mq_notify=184, mq_getsetattr=185, msgget=186, msgctl=187, msgrcv=188,
                    msgsnd=189, semget=190, semctl=191, semtimedop=192, semop=193, shmget=194,
                    shmctl=195, shmat=196, shmdt=197, inotify_add_watch=27,
                    fanotify_init=262),
}
# System calls allowed only with some arguments: (number, argument index) per architecture.
TO_SELF = {"x86_64": {"kill": 62, "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129,
                      "rt_tgsigqueueinfo": 297},
           "aarch64": {"kill": 129, "tkill": 130, "tgkill": 131, "rt_sigqueueinfo": 138,
                       "rt_tgsigqueueinfo": 240}}
# Calls that change another process of the same user (its limits, priority, CPUs, memory):
# allowed only on itself (0 or its own pid in the first argument, the second for the last two).
ON_SELF = {"x86_64": {"prlimit64": 302, "sched_setparam": 142, "sched_setscheduler": 144,
                      "sched_setaffinity": 203, "sched_setattr": 314, "migrate_pages": 256,
                      "move_pages": 279},
           "aarch64": {"prlimit64": 261, "sched_setparam": 118, "sched_setscheduler": 119,
                       "sched_setaffinity": 122, "sched_setattr": 274, "migrate_pages": 238,
                       "move_pages": 239}}
# setpriority(PRIO_PROCESS, who) and ioprio_set(IOPRIO_WHO_PROCESS, who): (number, which).
WHICH_WHO = {"x86_64": ((141, 0), (251, 1)), "aarch64": ((140, 0), (30, 1))}
CLONE = {"x86_64": 56, "aarch64": 220}
CLONE3_OPENAT2 = (435, 437)  # ENOSYS: glibc falls back to clone and openat, which are checked
OPEN = {"x86_64": ((2, 1), (257, 2)), "aarch64": ((56, 2),)}  # (number, flags argument)
FCNTL = {"x86_64": 72, "aarch64": 25}
IOCTL = {"x86_64": 16, "aarch64": 29}

LD_W_ABS, JEQ_K, JSET_K, RET_K, ALU_AND_K = 0x20, 0x15, 0x45, 0x06, 0x54


def _insn(code, k=0, jt=0, jf=0):
    return struct.pack("=HBBI", code, jt, jf, k & 0xFFFFFFFF)


def _arg(index):
    return _insn(LD_W_ABS, 16 + 8 * index)  # the low 32 bits (both architectures are little-endian)


def _unless(number, block):
    """If the system call is `number`, run `block` (which ends in a return)."""
    return [_insn(LD_W_ABS, 0), _insn(JEQ_K, number, 0, len(block)), *block]


def _refuse_if_equal(values, then=RET_ERRNO | EPERM):
    """After an argument is loaded: refuse if it is one of `values`, else allow."""
    block = []
    for value in values:
        block += [_insn(JEQ_K, value, 0, 1), _insn(RET_K, then)]
    return [*block, _insn(RET_K, RET_ALLOW)]


def seccomp_program(pid, machine=None):
    """The BPF program of the filter, for a process whose own pid is `pid`."""
    machine = machine or platform.machine()
    if machine not in AUDIT_ARCH:
        raise OSError(f"no seccomp filter for {machine}")
    deny, allow = _insn(RET_K, RET_ERRNO | EPERM), _insn(RET_K, RET_ALLOW)
    program = [_insn(LD_W_ABS, 4), _insn(JEQ_K, AUDIT_ARCH[machine], 1, 0),
               _insn(RET_K, RET_KILL_PROCESS), _insn(LD_W_ABS, 0)]
    if machine == "x86_64":  # the x32 ABI: the same calls under other numbers
        program += [_insn(0x35, 0x40000000, 0, 1), deny]  # JGE
    for number in DENIED[machine].values():
        program += [_insn(JEQ_K, number, 0, 1), deny]
    for number in CLONE3_OPENAT2:
        program += [_insn(JEQ_K, number, 0, 1), _insn(RET_K, RET_ERRNO | ENOSYS)]
    for number in TO_SELF[machine].values():  # the target pid (tgid) is the first argument
        program += _unless(number, [_arg(0), _insn(JEQ_K, pid, 0, 1), allow, deny])
    for number in ON_SELF[machine].values():
        program += _unless(number, [_arg(0), _insn(JEQ_K, 0, 1, 0), _insn(JEQ_K, pid, 0, 1),
                                    allow, deny])
    for number, which in WHICH_WHO[machine]:
        program += _unless(number, [_arg(0), _insn(JEQ_K, which, 0, 4), _arg(1),
                                    _insn(JEQ_K, 0, 1, 0), _insn(JEQ_K, pid, 0, 1), allow, deny])
    program += _unless(CLONE[machine], [
        _arg(0), _insn(JSET_K, CLONE_THREAD, 0, 2), _insn(JSET_K, CLONE_NAMESPACES, 1, 0),
        allow, deny])
    for number, index in OPEN[machine]:  # O_TRUNC on a read-only open still truncates
        program += _unless(number, [_arg(index), _insn(ALU_AND_K, O_ACCMODE | O_TRUNC),
                                    *_refuse_if_equal([O_TRUNC])])
    program += _unless(FCNTL[machine], [_arg(1), *_refuse_if_equal([F_SETOWN, F_SETSIG,
                                                                      F_SETOWN_EX])])
    program += _unless(IOCTL[machine], [_arg(1), *_refuse_if_equal(IOCTLS)])
    return b"".join([*program, allow])


class _Fprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def seccomp(pid=None):
    """Install the filter on this process (all its threads); no_new_privs must be set."""
    machine = platform.machine()
    code = seccomp_program(os.getpid() if pid is None else pid, machine)
    buffer = ctypes.create_string_buffer(code, len(code))
    prog = _Fprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    tsync = 1  # SECCOMP_FILTER_FLAG_TSYNC
    _check(_libc.syscall(SYS_SECCOMP[machine], 1, tsync, ctypes.byref(prog)), "seccomp")


# -- the two steps the sandbox takes --------------------------------------------------------

def confine_template(spec, keep):
    """The template's own domain: read `spec["read"]` and /proc, write `spec["write"]`."""
    no_new_privs()
    landlock(spec["abi"], [*spec["read"], "/proc"], [*spec["write"], *spec["devices"]], keep)
    drop_capabilities()


def confine_child(spec, workdir, keep):
    """One submission's process, before its code runs: a nested domain that writes only
    `workdir` and sees only its own /proc entry, no capabilities, and the seccomp filter."""
    if len(os.listdir("/proc/self/task")) != 1:
        raise OSError("a Landlock domain binds one thread: confine before starting threads")
    own = f"/proc/{os.getpid()}"
    landlock(spec["abi"], [*spec["read"], own], [workdir, *spec["devices"]], keep)
    drop_capabilities()
    seccomp()
