package dev.redisgen.drill;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;

/**
 * The cluster DNS of the drill's pods, for what resolves through DNS rather than the hosts file
 * (HAProxy's runtime resolvers): A records for the headless names of the pods that exist now, TTL 1 s;
 * NXDOMAIN for any other name, an empty answer for other record types of a known name. One UDP
 * socket, one thread; just enough of RFC 1035 for stub resolvers.
 */
final class Dns implements AutoCloseable {
    private static final int TYPE_A = 1;
    private static final int CLASS_IN = 1;

    private final DatagramSocket socket;
    private final Function<String, String> lookup;
    private final Thread thread;

    /** Serves on address:53; lookup maps a lower-case name without the final dot to an IPv4 address or null. */
    Dns(String address, Function<String, String> lookup) throws IOException {
        this.socket = new DatagramSocket(53, InetAddress.getByName(address));
        this.lookup = lookup;
        this.thread = new Thread(this::serve, "drill-dns");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                byte[] reply = answer(buf, p.getLength(), lookup);
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (SocketException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // a malformed query gets no answer; the resolver retries or gives up
            }
        }
    }

    /** The reply to one query (null: not a query this server answers). */
    static byte[] answer(byte[] q, int length, Function<String, String> lookup) {
        if (length < 12 || (q[2] & 0x80) != 0 || count(q, 4) != 1) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        int i = 12;
        while (i < length && q[i] != 0) {
            int len = q[i] & 0xff;
            if (len > 63 || i + 1 + len > length) {
                return null;
            }
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(q, i + 1, len, StandardCharsets.US_ASCII));
            i += 1 + len;
        }
        if (i + 5 > length) {
            return null;
        }
        int questionEnd = i + 5;
        int type = count(q, i + 1);
        int klass = count(q, i + 3);
        String ip = lookup.apply(name.toString().toLowerCase(Locale.ROOT));
        boolean a = ip != null && type == TYPE_A && klass == CLASS_IN;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q[0]);
        out.write(q[1]);
        // QR, opcode copied, AA; RD copied; RA; RCODE 3 (NXDOMAIN) for unknown names
        out.write(0x84 | (q[2] & 0x79));
        out.write(0x80 | (ip == null ? 3 : 0));
        out.write(0);
        out.write(1);
        out.write(0);
        out.write(a ? 1 : 0);
        out.write(new byte[4], 0, 4);
        out.write(q, 12, questionEnd - 12);
        if (a) {
            out.write(0xc0);
            out.write(12);
            out.write(new byte[] {0, TYPE_A, 0, CLASS_IN, 0, 0, 0, 1, 0, 4}, 0, 10);
            for (String octet : ip.split("\\.")) {
                out.write(Integer.parseInt(octet));
            }
        }
        return out.toByteArray();
    }

    private static int count(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
