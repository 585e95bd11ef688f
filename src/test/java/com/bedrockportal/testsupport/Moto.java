package com.bedrockportal.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The AWS emulator (moto) on 127.0.0.1:5055: used when already running (CI starts it), otherwise started here with
 * {@code python3 -m moto.server} and stopped when the test JVM ends.
 */
public final class Moto {

    public static final int PORT = Integer.getInteger("test.moto.port", 5055);
    private static Process process;

    private Moto() {
    }

    public static synchronized String endpoint() {
        if (!reachable()) {
            try {
                process = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p",
                        String.valueOf(PORT)).redirectErrorStream(true)
                        .redirectOutput(Path.of("target", "moto.log").toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start moto (python3 -m moto.server)", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!reachable()) {
                if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                    throw new IllegalStateException("moto did not start on port " + PORT + "; see target/moto.log");
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        return "http://127.0.0.1:" + PORT;
    }

    private static boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", PORT), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
