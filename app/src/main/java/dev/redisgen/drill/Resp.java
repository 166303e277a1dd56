package dev.redisgen.drill;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small RESP2 client: one blocking connection with bounded connect and read timeouts. Enough for
 * the drill's writer and observer (SET, WAIT, GET, ROLE, INFO, SENTINEL); no new dependency.
 */
final class Resp implements Closeable {
    /** An error reply (-ERR, -READONLY, -NOREPLICAS ...). */
    record Error(String message) {
        @Override
        public String toString() {
            return "-" + message;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Resp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Credentials: an ACL user (null: the default user) and its password (null: no AUTH). With ACL users (auth.users) the
     * drill logs in as the rendered pods and clients do: the writers as the application user, everything else as admin.
     */
    record Login(String user, String password) {
        static Login of(String password) {
            return password == null ? null : new Login(null, password);
        }
    }

    /**
     * TLS by address prefix: each drill lab owns its own 10.213.N.0/24 and, when its profile speaks TLS, registers the socket
     * factory of its throw-away CA for it; every connection of the writers, observers and checks to that lab speaks TLS.
     */
    private static final Map<String, SSLSocketFactory> TLS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Connections to addresses starting with PREFIX speak TLS through FACTORY (null: plain text again). */
    static void tls(String prefix, SSLSocketFactory factory) {
        if (factory == null) {
            TLS.remove(prefix);
        } else {
            TLS.put(prefix, factory);
        }
    }

    private static SSLSocketFactory tlsFor(String host) {
        for (Map.Entry<String, SSLSocketFactory> e : TLS.entrySet()) {
            if (host.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Connects (over TLS where {@link #tls} says so) and, when {@code password} is non-null, authenticates (an AUTH error throws). */
    static Resp connect(String host, int port, Login password, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            SSLSocketFactory tls = tlsFor(host);
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(s, host, port, true);
                ssl.setSoTimeout(timeoutMillis);
                ssl.startHandshake();
                s = ssl;
            }
            Resp r = new Resp(s);
            if (password != null && password.password() != null) {
                Object auth = password.user() == null ? r.call("AUTH", password.password()) : r.call("AUTH", password.user(), password.password());
                if (auth instanceof Error e) {
                    throw new IOException("AUTH failed: " + e.message());
                }
            }
            return r;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Sends one command; returns String, Long, null (nil), Error or List. */
    Object call(String... args) throws IOException {
        send(args);
        return read();
    }

    /** Pipelines several commands and reads every reply in order. */
    List<Object> pipeline(List<String[]> commands) throws IOException {
        for (String[] c : commands) {
            send(c);
        }
        List<Object> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(read());
        }
        return replies;
    }

    private void send(String... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(bytes);
            b.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(b.toByteArray());
        out.flush();
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed");
        }
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(n);
                if (data.length < n || in.read() != '\r' || in.read() != '\n') {
                    throw new IOException("truncated bulk reply");
                }
                return new String(data, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type " + (char) type);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            b.write(c);
        }
        if (in.read() != '\n') {
            throw new IOException("bad line ending");
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a dead connection: nothing to do
        }
    }

    /** One-shot helper: connect, run, close; null when the server is unreachable. */
    static Object once(String host, int port, Login password, int timeoutMillis, String... args) {
        try (Resp r = connect(host, port, password, timeoutMillis)) {
            return r.call(args);
        } catch (IOException e) {
            return null;
        }
    }

    /** A flat key/value reply (SENTINEL MASTER, each entry of SENTINEL REPLICAS) as a map, in reply order. */
    static Map<String, String> fields(List<?> kv) {
        Map<String, String> f = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.size(); i += 2) {
            f.put(String.valueOf(kv.get(i)), String.valueOf(kv.get(i + 1)));
        }
        return f;
    }
}
