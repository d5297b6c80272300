package org.eventloop4j.poller.iocp;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The production {@link IocpNative}: JNA <em>direct mapping</em> of kernel32, ntdll and ws2_32, with primitive and
 * {@link Pointer} arguments only. {@code GetQueuedCompletionStatusEx} is not in jna-platform, and jna-platform's
 * interface mapping would cost a proxy call per use, so every function is declared here.
 *
 * <p>Loaded only by {@link IocpPollerProvider} on 64-bit Windows; its static initialiser records that it ran in
 * {@link IocpPollerProvider#nativeBindingInitialised}, which a test checks stays {@code false} elsewhere. The last
 * error is read with {@link Native#getLastError()}, which JNA saves after every native call.
 */
final class IocpSyscalls implements IocpNative {

    private static final IocpSyscalls INSTANCE;

    static {
        IocpPollerProvider.nativeBindingInitialised = true;
        Native.register(Kernel32.class, "kernel32");
        Native.register(Ntdll.class, "ntdll");
        Native.register(Ws2.class, "ws2_32");
        INSTANCE = new IocpSyscalls();
    }

    /** kernel32 functions; the method names are the exported symbols. */
    private static final class Kernel32 {
        private Kernel32() {
        }

        static native long CreateIoCompletionPort(long fileHandle, long existingPort, long key, int threads);

        static native int GetQueuedCompletionStatusEx(long port, Pointer entries, int count, Pointer numRemoved,
                int millis, int alertable);

        static native int PostQueuedCompletionStatus(long port, int bytes, long key, long overlapped);

        static native int CancelIoEx(long handle, Pointer overlapped);

        static native int CloseHandle(long handle);

        static native int SetFileCompletionNotificationModes(long handle, byte flags);
    }

    /** ntdll functions. */
    private static final class Ntdll {
        private Ntdll() {
        }

        static native int NtCreateFile(Pointer handleOut, int access, Pointer objectAttributes, Pointer iosb,
                Pointer allocationSize, int fileAttributes, int shareAccess, int disposition, int options,
                Pointer eaBuffer, int eaLength);

        static native int NtDeviceIoControlFile(long handle, long event, Pointer apcRoutine, Pointer apcContext,
                Pointer iosb, int code, Pointer in, int inLength, Pointer out, int outLength);

        static native int RtlNtStatusToDosError(int status);
    }

    /** ws2_32 functions. */
    private static final class Ws2 {
        private Ws2() {
        }

        static native int WSAStartup(short version, Pointer wsaData);

        static native int WSACleanup();

        static native int WSAIoctl(long socket, int code, Pointer in, int inLength, Pointer out, int outLength,
                Pointer bytesReturned, Pointer overlapped, Pointer completionRoutine);
    }

    private IocpSyscalls() {
    }

    /**
     * Returns the binding, registering the native methods on first use.
     *
     * @return the production native layer
     * @throws UnsatisfiedLinkError if a function is missing
     */
    static IocpNative binding() {
        return INSTANCE;
    }

    @Override
    public long createIoCompletionPort(long fileHandle, long existingPort, long completionKey, int threads) {
        return Kernel32.CreateIoCompletionPort(fileHandle, existingPort, completionKey, threads);
    }

    @Override
    public int getQueuedCompletionStatusEx(long port, Pointer entries, int count, Pointer numRemoved, int millis,
            int alertable) {
        return Kernel32.GetQueuedCompletionStatusEx(port, entries, count, numRemoved, millis, alertable);
    }

    @Override
    public int postQueuedCompletionStatus(long port, int bytes, long key, long overlapped) {
        return Kernel32.PostQueuedCompletionStatus(port, bytes, key, overlapped);
    }

    @Override
    public int cancelIoEx(long handle, Pointer overlapped) {
        return Kernel32.CancelIoEx(handle, overlapped);
    }

    @Override
    public int closeHandle(long handle) {
        return Kernel32.CloseHandle(handle);
    }

    @Override
    public int setFileCompletionNotificationModes(long handle, byte flags) {
        return Kernel32.SetFileCompletionNotificationModes(handle, flags);
    }

    @Override
    public int getLastError() {
        return Native.getLastError();
    }

    @Override
    public int ntCreateFile(Pointer handleOut, int access, Pointer objectAttributes, Pointer iosb,
            Pointer allocationSize, int fileAttributes, int shareAccess, int disposition, int options,
            Pointer eaBuffer, int eaLength) {
        return Ntdll.NtCreateFile(handleOut, access, objectAttributes, iosb, allocationSize, fileAttributes,
                shareAccess, disposition, options, eaBuffer, eaLength);
    }

    @Override
    public int ntDeviceIoControlFile(long handle, long event, Pointer apcRoutine, Pointer apcContext, Pointer iosb,
            int code, Pointer in, int inLength, Pointer out, int outLength) {
        return Ntdll.NtDeviceIoControlFile(handle, event, apcRoutine, apcContext, iosb, code, in, inLength, out,
                outLength);
    }

    @Override
    public int rtlNtStatusToDosError(int status) {
        return Ntdll.RtlNtStatusToDosError(status);
    }

    @Override
    public int wsaStartup(short version, Pointer wsaData) {
        return Ws2.WSAStartup(version, wsaData);
    }

    @Override
    public int wsaCleanup() {
        return Ws2.WSACleanup();
    }

    @Override
    public int wsaIoctl(long socket, int code, Pointer in, int inLength, Pointer out, int outLength,
            Pointer bytesReturned, Pointer overlapped, Pointer completionRoutine) {
        return Ws2.WSAIoctl(socket, code, in, inLength, out, outLength, bytesReturned, overlapped,
                completionRoutine);
    }
}
