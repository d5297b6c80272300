package org.eventloop4j.poller.kqueue;

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
import java.util.ServiceLoader;
import java.util.Set;
import org.eventloop4j.spi.PollerProvider;
import org.junit.jupiter.api.Test;

class KqueuePollerProviderTest {

    private static boolean onLinux() {
        return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).startsWith("linux");
    }

    @Test
    void describesItself() {
        KqueuePollerProvider p = new KqueuePollerProvider();
        assertThat(p.name()).isEqualTo("kqueue");
        assertThat(p.priority()).isEqualTo(100);
    }

    @Test
    void isUnsupportedOnLinuxWithoutTouchingTheNativeBinding() {
        assumeTrue(onLinux(), "checks the behaviour on a platform kqueue does not serve");
        KqueuePollerProvider p = new KqueuePollerProvider();
        assertThat(p.isSupported()).isFalse();
        assertThat(p.isSupported()).isFalse();
        assertThatThrownBy(p::open).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("macOS and FreeBSD").hasMessageContaining("Linux");
        assertThat(KqueuePollerProvider.nativeBindingInitialised)
                .as("KqueueSyscalls' static initialiser must not have run").isFalse();
    }

    @Test
    void serviceLoaderFindsItOnTheClassPath() {
        List<PollerProvider> found = new ArrayList<>();
        ServiceLoader.load(PollerProvider.class).forEach(found::add);
        assertThat(found).anySatisfy(p -> {
            assertThat(p).isInstanceOf(KqueuePollerProvider.class);
            assertThat(p.name()).isEqualTo("kqueue");
            if (onLinux()) {
                assertThat(p.isSupported()).isFalse();
            }
        });
        assertThat(KqueuePollerProvider.nativeBindingInitialised || !onLinux()).isFalse();
    }

    /** Resolves the built module with the core and JNA in a fresh layer, as a module-path application would. */
    @Test
    void serviceLoaderFindsItThroughTheModuleDeclaration() throws Exception {
        Path classes = Path.of(KqueuePollerProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assumeTrue(Files.exists(classes.resolve("module-info.class")), "needs the compiled module descriptor");
        List<Path> modules = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.equals(classes) || p.getFileName().toString().startsWith("eventloop4j-")
                    || p.getFileName().toString().startsWith("jna-jpms")) {
                modules.add(p);
            }
        }
        ModuleFinder finder = ModuleFinder.of(modules.toArray(Path[]::new));
        ModuleDescriptor descriptor = finder.find("org.eventloop4j.poller.kqueue").orElseThrow().descriptor();
        assertThat(descriptor.provides()).anySatisfy(p -> {
            assertThat(p.service()).isEqualTo("org.eventloop4j.spi.PollerProvider");
            assertThat(p.providers()).containsExactly(KqueuePollerProvider.class.getName());
        });
        assertThat(descriptor.isAutomatic()).isFalse();

        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolve(finder, ModuleFinder.of(),
                Set.of("org.eventloop4j.poller.kqueue"));
        ModuleLayer layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        Class<?> spi = layer.findLoader("org.eventloop4j").loadClass("org.eventloop4j.spi.PollerProvider");
        List<String> names = new ArrayList<>();
        for (Object provider : ServiceLoader.load(layer, spi)) {
            if (provider.getClass().getModule().getName().equals("org.eventloop4j.poller.kqueue")) {
                names.add((String) spi.getMethod("name").invoke(provider));
                if (onLinux()) {
                    assertThat((Boolean) spi.getMethod("isSupported").invoke(provider)).isFalse();
                }
            }
        }
        assertThat(names).containsExactly("kqueue");
    }
}
