package com.bedrockportal.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The production jar ({@code mvn -Pproduction package -DskipTests}; or {@code -Dbench.jar}) started as a process of
 * its own on its embedded default (H2, embedded login provider on {@code port + 1}, simulated account) in a fresh
 * work folder, with the JVM options of {@code -Dbench.jvm} (default: the Dockerfile's). Reads the process's RSS and
 * live heap. For the benchmarks that measure what a user of the shipped jar would see; not a test fixture.
 */
public final class ProductionJar implements AutoCloseable {

    /** The JVM options the Dockerfile and compose ship. */
    /** The JVM flags the image and the compose file ship, less the -D option ({@code ComposeFilesTest} checks). */
    public static final String SHIPPED_FLAGS = "-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -Xss512k -XX:TrimNativeHeapInterval=5000"
            + " -XX:+ExitOnOutOfMemoryError";

    final String jvmOptions;
    private final Process process;
    private final Path log;

    private ProductionJar(Process process, Path log, String jvmOptions) {
        this.process = process;
        this.log = log;
        this.jvmOptions = jvmOptions;
    }

    /**
     * Starts the jar on {@code port} and waits until it has started (at most 3 minutes); {@code measuring} are JVM
     * options the benchmark needs for its measurement, after those of {@code -Dbench.jvm}.
     */
    static ProductionJar start(int port, String name, String... measuring) throws IOException, InterruptedException {
        Path jar = System.getProperty("bench.jar") != null ? Path.of(System.getProperty("bench.jar")) : builtJar();
        String jvm = (System.getProperty("bench.jvm", SHIPPED_FLAGS) + " " + String.join(" ", measuring)).trim();
        Path work = Files.createTempDirectory(name);
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(List.of(jvm.split("\\s+")));
        command.addAll(List.of("-Dvaadin.devmode.usageStatistics.enabled=false", "-jar", jar.toAbsolutePath()
                .toString(), "--server.port=" + port, "--portal.identity.embedded-idp.port=" + (port + 1)));
        Path log = work.resolve("portal.log");
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ProductionJar portal = new ProductionJar(process, log, jvm);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Files.readString(log).contains("Started PortalApplication")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                portal.close();
                throw new IllegalStateException("the portal did not start: " + log);
            }
            Thread.sleep(200); // waiting for another process's start, not test synchronisation
        }
        return portal;
    }

    private static Path builtJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("bedrock-access-portal-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "build the jar first: mvn -Pproduction package -DskipTests"));
        }
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Resident set size in MB. */
    long rssMb() throws IOException {
        return Long.parseLong(Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream().filter(
                l -> l.startsWith("VmRSS:")).findFirst().orElseThrow().replaceAll("\\D", "")) / 1024;
    }

    /** CPU time (user + system) the process has used so far, in seconds. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
    }

    /** The live objects by class (a full GC first), in bytes, and their sum under "Total". */
    Map<String, Long> histogram() throws IOException {
        Map<String, Long> bytes = new HashMap<>();
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        for (String line : new String(jcmd.getInputStream().readAllBytes()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                bytes.put(f[3], Long.parseLong(f[2]));
            } else if (f.length == 3 && f[0].equals("Total")) {
                bytes.put("Total", Long.parseLong(f[2]));
            }
        }
        return bytes;
    }

    /** The classes whose live bytes grew most from {@code before} to {@code after} (two {@link #histogram}s). */
    static List<Map.Entry<String, Long>> grewMost(Map<String, Long> before, Map<String, Long> after, int limit) {
        return after.entrySet().stream().filter(e -> !e.getKey().equals("Total")).map(e -> Map.entry(e.getKey(), e
                .getValue() - before.getOrDefault(e.getKey(), 0L))).sorted(Map.Entry.<String, Long>comparingByValue()
                        .reversed()).limit(limit).toList();
    }

    /** Writes the live objects (a full GC first) to an HPROF file, for following large objects to their owners. */
    void heapDump(Path file) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(process.pid()), "GC.heap_dump", file.toAbsolutePath()
                .toString()).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        if (jcmd.waitFor() != 0) {
            throw new IOException("jcmd GC.heap_dump failed: " + out);
        }
    }

    /** The established TCP connections whose local port is {@code port} (the portal's side), from /proc/net. */
    int establishedConnections(int port) throws IOException {
        String local = String.format(":%04X", port);
        int count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(local) && f[3].equals("01")) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Live heap in bytes after a full GC. */
    long liveHeap() throws IOException {
        return histogram().getOrDefault("Total", 0L);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
