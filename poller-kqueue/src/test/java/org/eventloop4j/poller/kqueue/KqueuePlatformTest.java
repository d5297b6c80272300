package org.eventloop4j.poller.kqueue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KqueuePlatformTest {

    @Test
    void macOsUsesEvfiltUserMinus10AndTheCompactLayout() {
        KqueuePlatform p = KqueuePlatform.detect("Mac OS X", "14.4.1", "aarch64");
        assertThat(p).isEqualTo(KqueuePlatform.MACOS);
        assertThat(p.evfiltUser).isEqualTo(-10);
        assertThat(p.layout).isSameAs(KeventLayout.COMPACT);
        assertThat(KqueuePlatform.detect("Darwin", "23.4.0", "x86_64")).isEqualTo(KqueuePlatform.MACOS);
    }

    @Test
    void freeBsdUsesEvfiltUserMinus11AndTheLayoutOfItsRelease() {
        KqueuePlatform p13 = KqueuePlatform.detect("FreeBSD", "13.2-RELEASE", "amd64");
        assertThat(p13).isEqualTo(KqueuePlatform.FREEBSD_12);
        assertThat(p13.evfiltUser).isEqualTo(-11);
        assertThat(p13.layout).isSameAs(KeventLayout.EXTENDED);
        assertThat(KqueuePlatform.detect("FreeBSD", "12.0-RELEASE", "amd64")).isEqualTo(KqueuePlatform.FREEBSD_12);
        KqueuePlatform p11 = KqueuePlatform.detect("FreeBSD", "11.4-RELEASE-p3", "amd64");
        assertThat(p11).isEqualTo(KqueuePlatform.FREEBSD_11);
        assertThat(p11.layout).isSameAs(KeventLayout.COMPACT);
    }

    @Test
    void otherSystemsAnd32BitAreNotServed() {
        assertThat(KqueuePlatform.detect("Linux", "6.8.0", "amd64")).isNull();
        assertThat(KqueuePlatform.detect("Windows 11", "10.0", "amd64")).isNull();
        assertThat(KqueuePlatform.detect("OpenBSD", "7.5", "amd64")).isNull();
        assertThat(KqueuePlatform.detect("NetBSD", "10.0", "amd64")).isNull();
        assertThat(KqueuePlatform.detect("FreeBSD", "13.2-RELEASE", "i386")).isNull();
        assertThat(KqueuePlatform.detect("Mac OS X", "10.6", "x86")).isNull();
        assertThat(KqueuePlatform.detect(null, null, null)).isNull();
    }

    @Test
    void versionParsing() {
        assertThat(KqueuePlatform.majorVersion("14.1-RELEASE")).isEqualTo(14);
        assertThat(KqueuePlatform.majorVersion("")).isZero();
        assertThat(KqueuePlatform.majorVersion(null)).isZero();
    }
}
