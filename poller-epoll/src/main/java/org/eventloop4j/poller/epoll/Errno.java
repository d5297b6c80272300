package org.eventloop4j.poller.epoll;

/**
 * The Linux {@code errno} values this module can meet, with their symbolic names for error messages.
 *
 * <p>The numbers are those of the "generic" Linux ABI shared by x86-64, AArch64, RISC-V, POWER, s390x and
 * LoongArch, the architectures {@link EpollPollerProvider} accepts (MIPS, SPARC and Alpha number some differently).
 */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EFAULT = 14;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int ENOSPC = 28;
    static final int ELOOP = 40;

    private Errno() {
    }

    /**
     * Renders an errno for a message, for example {@code "EBADF (bad file descriptor)"}.
     *
     * @param errno the value of {@code errno}
     * @return its name and meaning, or {@code "errno 123"} for a value not in the table
     */
    static String describe(int errno) {
        switch (errno) {
            case EPERM: return "EPERM (operation not permitted)";
            case ENOENT: return "ENOENT (no such entry)";
            case EINTR: return "EINTR (interrupted system call)";
            case EIO: return "EIO (input/output error)";
            case EBADF: return "EBADF (bad file descriptor)";
            case EAGAIN: return "EAGAIN (resource temporarily unavailable)";
            case ENOMEM: return "ENOMEM (out of memory)";
            case EFAULT: return "EFAULT (bad address)";
            case EEXIST: return "EEXIST (already exists)";
            case EINVAL: return "EINVAL (invalid argument)";
            case ENFILE: return "ENFILE (too many open files in system)";
            case EMFILE: return "EMFILE (too many open files)";
            case ENOSPC: return "ENOSPC (no space left: limit reached)";
            case ELOOP: return "ELOOP (too many levels of nesting)";
            default: return "errno " + errno;
        }
    }
}
