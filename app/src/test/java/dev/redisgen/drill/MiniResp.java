package dev.redisgen.drill;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The drill's RESP client ({@link Resp}) for the live tests of other packages: one connection, one command at a
 * time, I/O failures unchecked, 10 s read timeout; replies as String, Long, List, null or an error reply (whose
 * {@code toString()} is {@code -ERR ...}).
 */
public final class MiniResp implements AutoCloseable {
    private final Resp resp;

    public MiniResp(String host, int port, String password) {
        try {
            resp = Resp.connect(host, port, Resp.Login.of(password), 2000);
            resp.timeout(10_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Object call(String... args) {
        try {
            return resp.call(args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hash slot of a key (CRC16/XMODEM of the key or its {hash tag}, mod 16384). */
    public static int slot(String key) {
        return ClusterNodes.slot(key);
    }

    @Override
    public void close() {
        resp.close();
    }
}
