package io.kubeaudit.ship;

import io.kubeaudit.build.BuildInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What was built, and the standard process and JVM series under the names every Prometheus client library uses
 * (client_java's process and JVM collectors), so existing dashboards and alerts work: CPU, resident memory, open
 * files, start time, heap and non-heap memory, memory pools, garbage collections, threads.
 */
final class RuntimeMetrics {

    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private RuntimeMetrics() {
    }

    static void register(Metrics metrics, BuildInfo build) {
        metrics.gauge("build_info", "Always 1; the labels say which build runs (version and git revision).", () -> 1,
                "version", build.version(), "revision", build.revision());
        Metrics standard = metrics.standardNames();
        process(standard);
        jvm(standard);
    }

    private static void process(Metrics m) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        m.gauge("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.", () -> runtime.getStartTime() / 1e3);
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            m.counter("process_cpu_seconds_total", "User and system CPU time the process has spent, in seconds.", () -> sun.getProcessCpuTime() / 1e9);
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            m.gauge("process_open_fds", "File descriptors the process has open.", unix::getOpenFileDescriptorCount);
            m.gauge("process_max_fds", "The most file descriptors the process may open.", unix::getMaxFileDescriptorCount);
        }
        if (Files.isReadable(PROC_STATUS)) {
            m.gauge("process_resident_memory_bytes", "Resident memory (RSS) of the process, in bytes.", () -> procStatusBytes("VmRSS:"));
            m.gauge("process_virtual_memory_bytes", "Virtual memory of the process, in bytes.", () -> procStatusBytes("VmSize:"));
        }
    }

    private static void jvm(Metrics m) {
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        m.gauge("jvm_runtime_info", "Always 1; the labels say which Java runtime runs the agent.", () -> 1,
                "version", runtime.getVmVersion(), "vendor", runtime.getVmVendor(), "runtime", runtime.getVmName());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memoryArea(m, "heap", memory::getHeapMemoryUsage);
        memoryArea(m, "nonheap", memory::getNonHeapMemoryUsage);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            m.gauge("jvm_memory_pool_used_bytes", "Bytes used in a JVM memory pool.", () -> pool.getUsage().getUsed(), "pool", pool.getName());
            m.gauge("jvm_memory_pool_max_bytes", "The most bytes a JVM memory pool may use (-1: no limit).", () -> pool.getUsage().getMax(),
                    "pool", pool.getName());
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            m.summary("jvm_gc_collection_seconds", "Garbage collections (count) and the time they took (sum, seconds), by collector.",
                    gc::getCollectionCount, () -> gc.getCollectionTime() / 1e3, "gc", gc.getName());
        }
        m.gauge("jvm_threads_current", "Live JVM threads.", () -> ManagementFactory.getThreadMXBean().getThreadCount());
        m.gauge("jvm_threads_daemon", "Live JVM daemon threads.", () -> ManagementFactory.getThreadMXBean().getDaemonThreadCount());
    }

    private static void memoryArea(Metrics m, String area, Supplier<MemoryUsage> usage) {
        m.gauge("jvm_memory_used_bytes", "Bytes of JVM memory in use, by area.", () -> usage.get().getUsed(), "area", area);
        m.gauge("jvm_memory_committed_bytes", "Bytes of JVM memory committed by the OS, by area.", () -> usage.get().getCommitted(), "area", area);
        m.gauge("jvm_memory_max_bytes", "The most bytes of JVM memory the area may use (-1: no limit).", () -> usage.get().getMax(), "area", area);
    }

    /** A "Name:   1234 kB" line of /proc/self/status, in bytes. */
    static double procStatusBytes(String field) {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * (parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? 1024 : 1);
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PROC_STATUS, e);
        }
    }
}
