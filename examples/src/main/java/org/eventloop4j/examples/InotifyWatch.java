package org.eventloop4j.examples;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eventloop4j.EventLoop;
import org.eventloop4j.IoEvents;
import org.eventloop4j.Registration;

/**
 * Watches a directory with Linux inotify, its descriptor registered on the loop for {@link IoEvents#READ} through
 * the epoll poller, and prints what happens to the files in it.
 *
 * <pre>
 * bin/example InotifyWatch --demo          # watches a new temporary directory, creates and deletes 3 files, exits
 * bin/example InotifyWatch [DIR]           # watches DIR (default: the current directory) until Ctrl-C
 * bin/example InotifyWatch --demo DIR      # the demo, in DIR
 * </pre>
 *
 * The inotify descriptor is non-blocking: each READ readiness is handled by reading until {@code EAGAIN}, so the
 * level-triggered poller does not report it again until new events arrive. In the demo, another thread writes the
 * files; everything printed comes from the loop thread. Linux only.
 */
public final class InotifyWatch {
    private static final int IN_MODIFY = 0x002;
    private static final int IN_CLOSE_WRITE = 0x008;
    private static final int IN_MOVED_FROM = 0x040;
    private static final int IN_MOVED_TO = 0x080;
    private static final int IN_CREATE = 0x100;
    private static final int IN_DELETE = 0x200;
    private static final int IN_DELETE_SELF = 0x400;
    private static final int IN_Q_OVERFLOW = 0x4000;
    private static final int IN_IGNORED = 0x8000;
    private static final int IN_ISDIR = 0x40000000;
    private static final int IN_NONBLOCK = 04000;
    private static final int IN_CLOEXEC = 02000000;
    private static final int EAGAIN = 11;
    /** {@code struct inotify_event}: int wd; uint32 mask; uint32 cookie; uint32 len; char name[len]. */
    private static final int EVENT_HEADER = 16;

    private static final String[] DEMO_FILES = {"a.txt", "b.txt", "c.txt"};

    private InotifyWatch() {
    }

    /**
     * Entry point.
     *
     * @param args {@code [--demo] [DIR]}
     * @throws Exception if inotify cannot be set up or the demo fails
     */
    public static void main(String[] args) throws Exception {
        boolean demo = false;
        String dirArg = null;
        for (String a : args) {
            if (a.equals("--demo")) {
                demo = true;
            } else if (a.startsWith("-")) {
                System.err.println("usage: InotifyWatch [--demo] [DIR]");
                System.exit(2);
            } else {
                dirArg = a;
            }
        }
        if (!Platform.isLinux()) {
            System.err.println("InotifyWatch needs Linux (inotify and epoll)");
            System.exit(2);
        }
        Path dir = dirArg != null ? Paths.get(dirArg).toAbsolutePath()
                : demo ? Files.createTempDirectory("eventloop4j-inotify-") : Paths.get("").toAbsolutePath();
        boolean ownDir = demo && dirArg == null;
        int status = run(dir, demo);
        if (ownDir) {
            Files.deleteIfExists(dir);
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    private static int run(Path dir, boolean demo) throws IOException {
        int fd = Inotify.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
            throw new IOException("inotify_init1 failed: errno " + Native.getLastError());
        }
        byte[] path = (dir.toString() + '\0').getBytes(StandardCharsets.UTF_8);
        Memory cPath = new Memory(path.length);
        cPath.write(0, path, 0, path.length);
        int mask = IN_CREATE | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF;
        if (Inotify.inotify_add_watch(fd, cPath, mask) < 0) {
            int errno = Native.getLastError();
            Inotify.close(fd);
            throw new IOException("inotify_add_watch(" + dir + ") failed: errno " + errno);
        }

        EventLoop loop = EventLoop.builder().exitWhenIdle(true).threadName("inotify-loop").build();
        Memory buffer = new Memory(64 * 1024);
        // In the demo, the loop stops once every demo file has been deleted; names are removed as DELETEs arrive.
        Set<String> pending = new HashSet<>();
        if (demo) {
            pending.addAll(List.of(DEMO_FILES));
        }
        int[] exit = {0};
        long[] guard = {0};

        Registration registration = loop.register(fd, IoEvents.READ, (reg, ready) -> {
            if ((ready & (IoEvents.ERROR | IoEvents.HANGUP)) != 0) {
                System.out.println("inotify descriptor reported " + IoEvents.toString(ready) + "; stopping");
                reg.cancel();
                return;
            }
            for (String[] event : readEvents(fd, buffer)) {
                System.out.printf("  %-12s %s%n", event[0], event[1]);
                if (event[0].equals("DELETE")) {
                    pending.remove(event[1]);
                }
                if (event[0].equals("DELETE_SELF") || event[0].equals("IGNORED")) {
                    reg.cancel();
                }
            }
            if (demo && pending.isEmpty() && reg.isActive()) {
                System.out.println("demo done: every file was created, written and deleted");
                reg.cancel();
                loop.clearTimeout(guard[0]);
            }
        });
        System.out.println("watching " + dir + " (inotify fd " + fd + ", poller " + loop.pollerName() + ")");

        Thread writer = null;
        if (demo) {
            guard[0] = loop.setTimeout(() -> {
                System.out.println("demo failed: no DELETE event within 10 s for " + pending);
                exit[0] = 1;
                registration.cancel();
            }, 10_000);
            writer = new Thread(() -> writeDemoFiles(dir), "demo-writer");
            writer.start();
        }
        loop.run();   // returns once the registration is cancelled and nothing else keeps the loop alive
        Inotify.close(fd);
        if (writer != null) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return exit[0];
    }

    /** Runs on the demo-writer thread: plain blocking file I/O, which is what inotify reports on. */
    private static void writeDemoFiles(Path dir) {
        try {
            for (String name : DEMO_FILES) {
                Files.writeString(dir.resolve(name), "hello from " + Thread.currentThread().getName() + "\n");
            }
            for (String name : DEMO_FILES) {
                Files.delete(dir.resolve(name));
            }
        } catch (IOException e) {
            System.err.println("demo writer failed: " + e);
        }
    }

    /** Reads every queued inotify event (until EAGAIN) and returns {kind, name} pairs. Loop thread. */
    private static List<String[]> readEvents(int fd, Memory buffer) {
        List<String[]> out = new ArrayList<>();
        for (;;) {
            long n = Inotify.read(fd, buffer, buffer.size());
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno != EAGAIN) {
                    out.add(new String[] {"READ-ERROR", "errno " + errno});
                }
                return out;
            }
            if (n == 0) {
                return out;
            }
            for (long at = 0; at + EVENT_HEADER <= n; ) {
                int mask = buffer.getInt(at + 4);
                int len = buffer.getInt(at + 12);
                String name = len > 0 ? buffer.getString(at + EVENT_HEADER, StandardCharsets.UTF_8.name()) : "";
                out.add(new String[] {kind(mask), (mask & IN_ISDIR) != 0 ? name + "/" : name});
                at += EVENT_HEADER + len;
            }
        }
    }

    private static String kind(int mask) {
        if ((mask & IN_CREATE) != 0) {
            return "CREATE";
        }
        if ((mask & IN_CLOSE_WRITE) != 0) {
            return "CLOSE_WRITE";
        }
        if ((mask & IN_MODIFY) != 0) {
            return "MODIFY";
        }
        if ((mask & IN_DELETE) != 0) {
            return "DELETE";
        }
        if ((mask & IN_MOVED_FROM) != 0) {
            return "MOVED_FROM";
        }
        if ((mask & IN_MOVED_TO) != 0) {
            return "MOVED_TO";
        }
        if ((mask & IN_DELETE_SELF) != 0) {
            return "DELETE_SELF";
        }
        if ((mask & IN_Q_OVERFLOW) != 0) {
            return "OVERFLOW";
        }
        if ((mask & IN_IGNORED) != 0) {
            return "IGNORED";
        }
        return "0x" + Integer.toHexString(mask);
    }

    /** The inotify calls, JNA direct mapping with primitive and Pointer arguments only. */
    static final class Inotify {
        static {
            Native.register(Inotify.class, Platform.C_LIBRARY_NAME);
        }

        private Inotify() {
        }

        static native int inotify_init1(int flags);

        static native int inotify_add_watch(int fd, Pointer pathname, int mask);

        static native long read(int fd, Pointer buffer, long count);

        static native int close(int fd);
    }
}
