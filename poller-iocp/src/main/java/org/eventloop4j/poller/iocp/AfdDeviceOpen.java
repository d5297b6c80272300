package org.eventloop4j.poller.iocp;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * The arguments of {@code NtCreateFile} that open an AFD helper handle, built once in native memory.
 *
 * <p>Opening {@code \Device\Afd\<anything>} without extended attributes gives a handle to the AFD driver that is not
 * a socket (wepoll {@code src/afd.c} uses {@code \Device\Afd\Wepoll}, mio {@code \Device\Afd\Mio}); ours is
 * {@value #DEVICE_NAME}. Access {@code SYNCHRONIZE}, share read|write, disposition {@code FILE_OPEN}, as both do.
 *
 * <p>x64 layouts ({@code ntdef.h}): {@code UNICODE_STRING} is {@code USHORT Length} at 0, {@code USHORT
 * MaximumLength} at 2, {@code PWSTR Buffer} at 8 (16 bytes); {@code OBJECT_ATTRIBUTES} is {@code ULONG Length} at
 * 0, {@code HANDLE RootDirectory} at 8, {@code PUNICODE_STRING ObjectName} at 16, {@code ULONG Attributes} at 24,
 * {@code PVOID SecurityDescriptor} at 32, {@code PVOID SecurityQualityOfService} at 40 (48 bytes);
 * {@code IO_STATUS_BLOCK} is 16 bytes.
 */
final class AfdDeviceOpen {

    static final String DEVICE_NAME = "\\Device\\Afd\\eventloop4j";

    /** {@code SYNCHRONIZE} ({@code winnt.h}). */
    static final int SYNCHRONIZE = 0x00100000;
    /** {@code FILE_SHARE_READ | FILE_SHARE_WRITE} ({@code winnt.h}). */
    static final int FILE_SHARE_READ_WRITE = 0x1 | 0x2;
    /** {@code FILE_OPEN} ({@code ntifs.h}/{@code winternl.h}). */
    static final int FILE_OPEN = 0x1;
    /** {@code FILE_SKIP_SET_EVENT_ON_HANDLE} ({@code winbase.h}), set as wepoll and mio do. */
    static final byte FILE_SKIP_SET_EVENT_ON_HANDLE = 0x2;

    static final int UNICODE_STRING_SIZE = 16;
    static final int OBJECT_ATTRIBUTES_SIZE = 48;

    final Memory name;
    final Memory unicodeString;
    final Memory objectAttributes;
    final Memory ioStatusBlock = new Memory(16);
    final Memory handleOut = new Memory(8);

    AfdDeviceOpen() {
        byte[] utf16 = DEVICE_NAME.getBytes(StandardCharsets.UTF_16LE);
        name = new Memory(utf16.length);
        name.write(0, utf16, 0, utf16.length);
        unicodeString = new Memory(UNICODE_STRING_SIZE);
        unicodeString.clear();
        unicodeString.setShort(0, (short) utf16.length);
        unicodeString.setShort(2, (short) utf16.length);
        unicodeString.setPointer(8, name);
        objectAttributes = new Memory(OBJECT_ATTRIBUTES_SIZE);
        objectAttributes.clear();
        objectAttributes.setInt(0, OBJECT_ATTRIBUTES_SIZE);
        objectAttributes.setPointer(16, unicodeString);
    }

    /** Decodes the object name from an {@code OBJECT_ATTRIBUTES} (for tests and diagnostics). */
    static String objectName(Pointer objectAttributes) {
        Pointer us = objectAttributes.getPointer(16);
        int length = us.getShort(0) & 0xFFFF;
        byte[] bytes = us.getPointer(8).getByteArray(0, length);
        return new String(bytes, StandardCharsets.UTF_16LE);
    }
}
