package org.eventloop4j.poller.iocp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import org.eventloop4j.spi.PollerProvider;
import org.junit.jupiter.api.Test;

class IocpPollerProviderTest {

    private static boolean onWindows() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    @Test
    void describesItself() {
        IocpPollerProvider p = new IocpPollerProvider();
        assertThat(p.name()).isEqualTo("iocp");
        assertThat(p.priority()).isEqualTo(100);
    }

    @Test
    void servesOnly64BitWindows() {
        assertThat(IocpPollerProvider.servesPlatform("Windows 11", "amd64")).isTrue();
        assertThat(IocpPollerProvider.servesPlatform("Windows Server 2022", "aarch64")).isTrue();
        assertThat(IocpPollerProvider.servesPlatform("Windows 10", "x86")).isFalse();
        assertThat(IocpPollerProvider.servesPlatform("Linux", "amd64")).isFalse();
        assertThat(IocpPollerProvider.servesPlatform("Mac OS X", "aarch64")).isFalse();
        assertThat(IocpPollerProvider.servesPlatform(null, null)).isFalse();
    }

    @Test
    void isUnsupportedOffWindowsWithoutTouchingTheNativeBinding() {
        assumeTrue(!onWindows(), "checks the behaviour on a platform IOCP does not serve");
        IocpPollerProvider p = new IocpPollerProvider();
        assertThat(p.isSupported()).isFalse();
        assertThatThrownBy(p::open).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("64-bit Windows");
        assertThat(IocpPollerProvider.nativeBindingInitialised)
                .as("IocpSyscalls' static initialiser must not have run").isFalse();
    }

    @Test
    void serviceLoaderFindsItOnTheClassPath() {
        List<PollerProvider> found = new ArrayList<>();
        ServiceLoader.load(PollerProvider.class).forEach(found::add);
        assertThat(found).filteredOn(p -> p instanceof IocpPollerProvider).singleElement()
                .satisfies(p -> assertThat(p.isSupported()).isEqualTo(onWindows()));
        if (!onWindows()) {
            assertThat(IocpPollerProvider.nativeBindingInitialised).isFalse();
        }
    }

    /** Resolves the built module with the core and JNA in a fresh layer, as a module-path application would. */
    @Test
    void serviceLoaderFindsItThroughTheModuleDeclaration() throws Exception {
        Path classes = Path.of(IocpPollerProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assumeTrue(Files.exists(classes.resolve("module-info.class")), "needs the compiled module descriptor");
        List<Path> modules = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            if (p.equals(classes) || name.startsWith("eventloop4j-") || name.startsWith("jna-jpms")) {
                modules.add(p);
            }
        }
        ModuleFinder finder = ModuleFinder.of(modules.toArray(Path[]::new));
        ModuleDescriptor descriptor = finder.find("org.eventloop4j.poller.iocp").orElseThrow().descriptor();
        assertThat(descriptor.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo("org.eventloop4j.spi.PollerProvider");
            assertThat(p.providers()).containsExactly(IocpPollerProvider.class.getName());
        });

        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of("org.eventloop4j.poller.iocp"));
        ModuleLayer layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        Class<?> spi = layer.findLoader("org.eventloop4j").loadClass("org.eventloop4j.spi.PollerProvider");
        List<String> names = new ArrayList<>();
        for (Object provider : ServiceLoader.load(layer, spi)) {
            if (provider.getClass().getModule().getName().equals("org.eventloop4j.poller.iocp")) {
                names.add((String) spi.getMethod("name").invoke(provider));
                assertThat((Boolean) spi.getMethod("isSupported").invoke(provider)).isEqualTo(onWindows());
            }
        }
        assertThat(names).containsExactly("iocp");
    }
}
