package dev.redisgen.drill;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/** One node's CLUSTER NODES reply, parsed; and the key-to-slot function of Redis Cluster. */
record ClusterNodes(List<Node> nodes) {
    static final int SLOTS = 16384;

    /**
     * One line: id, address (ip, port, hostname), flags, master id (masterId, "-" for a master), config epoch, link state and the slots it
     * serves; raw is the line without the ping and pong times (what a re-run of the creation Job must not change).
     */
    record Node(String id, String ip, int port, String host, String flags, String masterId, String epoch, String link, BitSet slots,
                String raw) {
        boolean myself() {
            return flag("myself");
        }

        boolean master() {
            return flag("master");
        }

        boolean replica() {
            return flag("slave");
        }

        /** Flagged fail, pfail, noaddr or handshake: not a healthy member in this view. */
        boolean unhealthy() {
            return flag("fail") || flag("fail?") || flag("noaddr") || flag("handshake");
        }

        boolean flag(String f) {
            for (String x : flags.split(",")) {
                if (x.equals(f)) {
                    return true;
                }
            }
            return false;
        }
    }

    static ClusterNodes parse(String text) {
        List<Node> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String[] f = line.strip().split(" ");
            if (f.length < 8) {
                continue;
            }
            String addr = f[1];
            int comma = addr.indexOf(',');
            String host = comma < 0 ? "" : addr.substring(comma + 1);
            String ipPort = (comma < 0 ? addr : addr.substring(0, comma));
            int at = ipPort.indexOf('@');
            if (at >= 0) {
                ipPort = ipPort.substring(0, at);
            }
            int colon = ipPort.lastIndexOf(':');
            int port = colon < 0 ? 0 : parseInt(ipPort.substring(colon + 1));
            BitSet slots = new BitSet(SLOTS);
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue;
                }
                String[] ab = f[i].split("-");
                int lo = parseInt(ab[0]);
                int hi = ab.length == 1 ? lo : parseInt(ab[1]);
                if (lo >= 0 && hi >= lo) {
                    slots.set(lo, hi + 1);
                }
            }
            List<String> raw = new ArrayList<>(List.of(f));
            raw.subList(4, 6).clear();
            out.add(new Node(f[0], colon < 0 ? ipPort : ipPort.substring(0, colon), port, host, f[2], f[3], f[6], f[7], slots,
                    String.join(" ", raw)));
        }
        return new ClusterNodes(List.copyOf(out));
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** CLUSTER NODES of the node at ip:port (empty when it does not answer). */
    static Optional<ClusterNodes> of(String ip, int port, Resp.Login password) {
        Object r = Resp.once(ip, port, password, 1000, "CLUSTER", "NODES");
        return r instanceof String s ? Optional.of(parse(s)) : Optional.empty();
    }

    Optional<Node> myself() {
        return nodes.stream().filter(Node::myself).findFirst();
    }

    Optional<Node> byId(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /** The masters that serve slots in this view. */
    List<Node> shardMasters() {
        return nodes.stream().filter(n -> n.master() && !n.slots().isEmpty()).toList();
    }

    List<Node> replicasOf(String masterId) {
        return nodes.stream().filter(n -> n.replica() && n.masterId().equals(masterId)).toList();
    }

    /** The slot of a key: CRC16 (XMODEM) of the key, or of its first non-empty {hash tag}, mod 16384. */
    static int slot(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int s = -1;
        for (int i = 0; i < k.length; i++) {
            if (k[i] == '{') {
                s = i;
                break;
            }
        }
        int from = 0;
        int to = k.length;
        if (s >= 0) {
            for (int e = s + 1; e < k.length; e++) {
                if (k[e] == '}') {
                    if (e > s + 1) {
                        from = s + 1;
                        to = e;
                    }
                    break;
                }
            }
        }
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (k[i] & 0xff) << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                crc &= 0xffff;
            }
        }
        return crc % SLOTS;
    }
}
