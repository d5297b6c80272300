package org.eventloop4j.poller.iocp;

import com.sun.jna.Pointer;

/**
 * The Windows calls the IOCP poller makes, as thin as the real functions: handles, keys and {@code ULONG_PTR}s are
 * {@code long} (64-bit process only), buffers are {@link Pointer}s, {@code BOOL} results are {@code int}s, ntdll
 * results are {@code NTSTATUS} values. Production: {@link IocpSyscalls} (JNA direct mapping). Tests: an in-memory
 * fake kernel that reads and writes the same buffers with the real x64 layouts.
 *
 * <p>Implementations must allow concurrent calls (the loop thread polls while another thread posts a wakeup).
 *
 * <p>Constants, with their sources:
 * <ul>
 *   <li>NTSTATUS values: {@code ntstatus.h} (Windows SDK), as used by wepoll {@code src/nt.h} and mio
 *       {@code src/sys/windows/afd.rs}.</li>
 *   <li>Win32 error codes: {@code winerror.h}.</li>
 * </ul>
 */
interface IocpNative {

    int STATUS_SUCCESS = 0x00000000;
    int STATUS_PENDING = 0x00000103;
    int STATUS_CANCELLED = 0xC0000120;
    int STATUS_INVALID_HANDLE = 0xC0000008;
    int STATUS_NOT_FOUND = 0xC0000225;

    int ERROR_INVALID_HANDLE = 6;
    int WAIT_TIMEOUT = 258;
    int ERROR_IO_PENDING = 997;
    int ERROR_NOT_FOUND = 1168;
    int WSAENOTSOCK = 10038;

    /** {@code INVALID_HANDLE_VALUE}, {@code (HANDLE) -1}. */
    long INVALID_HANDLE_VALUE = -1L;
    /** {@code INFINITE} for millisecond timeouts, {@code 0xFFFFFFFF}. */
    int INFINITE = -1;
    /** {@code SOCKET_ERROR}. */
    int SOCKET_ERROR = -1;

    /** kernel32 {@code CreateIoCompletionPort}: returns the port handle, or 0 (see {@link #getLastError()}). */
    long createIoCompletionPort(long fileHandle, long existingPort, long completionKey, int concurrentThreads);

    /**
     * kernel32 {@code GetQueuedCompletionStatusEx}: fills {@code entries} with up to {@code count}
     * {@code OVERLAPPED_ENTRY}s and writes how many to the {@code ULONG} at {@code numRemoved}.
     *
     * @return nonzero on success; 0 with {@link #WAIT_TIMEOUT} from {@link #getLastError()} on timeout
     */
    int getQueuedCompletionStatusEx(long port, Pointer entries, int count, Pointer numRemoved, int millis,
            int alertable);

    /** kernel32 {@code PostQueuedCompletionStatus}: nonzero on success. */
    int postQueuedCompletionStatus(long port, int bytesTransferred, long completionKey, long overlapped);

    /** kernel32 {@code CancelIoEx}: nonzero on success; 0 with {@link #ERROR_NOT_FOUND} if nothing was pending. */
    int cancelIoEx(long handle, Pointer overlapped);

    /** kernel32 {@code CloseHandle}: nonzero on success. */
    int closeHandle(long handle);

    /** kernel32 {@code SetFileCompletionNotificationModes}: nonzero on success. */
    int setFileCompletionNotificationModes(long handle, byte flags);

    /** The calling thread's last Win32 error, as left by the previous call on this interface. */
    int getLastError();

    /** ntdll {@code NtCreateFile}. */
    int ntCreateFile(Pointer fileHandleOut, int desiredAccess, Pointer objectAttributes, Pointer ioStatusBlock,
            Pointer allocationSize, int fileAttributes, int shareAccess, int createDisposition, int createOptions,
            Pointer eaBuffer, int eaLength);

    /** ntdll {@code NtDeviceIoControlFile}. */
    int ntDeviceIoControlFile(long fileHandle, long event, Pointer apcRoutine, Pointer apcContext,
            Pointer ioStatusBlock, int ioControlCode, Pointer inputBuffer, int inputLength, Pointer outputBuffer,
            int outputLength);

    /** ntdll {@code RtlNtStatusToDosError}. */
    int rtlNtStatusToDosError(int status);

    /** ws2_32 {@code WSAStartup}: 0 or an error code. */
    int wsaStartup(short version, Pointer wsaData);

    /** ws2_32 {@code WSACleanup}: 0 or {@link #SOCKET_ERROR}. */
    int wsaCleanup();

    /** ws2_32 {@code WSAIoctl}: 0 or {@link #SOCKET_ERROR} (see {@link #getLastError()}). */
    int wsaIoctl(long socket, int ioControlCode, Pointer inBuffer, int inLength, Pointer outBuffer, int outLength,
            Pointer bytesReturned, Pointer overlapped, Pointer completionRoutine);
}
