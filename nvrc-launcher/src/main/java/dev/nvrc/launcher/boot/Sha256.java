package dev.nvrc.launcher.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * SHA-256 of a file, as the lower-case hex that {@code sha256sum} and CycloneDX use.
 *
 * <p>Computed here (FIPS 180-4) rather than through {@code MessageDigest}: the boot hashes the
 * running jar once, in its {@code cmdline} step, and the JCA's first use (the {@code java.security}
 * file, the provider and its service table) cost more than the hash itself in the boot's fresh
 * JVM (docs/performance.md, the notes on the cdi, cmdline and mount /run steps). The compression is one method call per 64-byte block,
 * so that the JVM's compiler takes it over after a few hundred blocks. Tests hold it equal to
 * {@code MessageDigest} for every length across block boundaries and for large inputs.
 */
public final class Sha256 {
    private static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };

    private final int[] h = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    private final int[] w = new int[64];
    private final byte[] block = new byte[64];
    private int filled;
    private long length;

    private Sha256() {}

    /**
     * Hashes a file.
     *
     * @param file a regular file
     * @return 64 lower-case hex digits
     * @throws IOException if the file cannot be read
     */
    public static String of(Path file) throws IOException {
        Sha256 sha = new Sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The digest of {@code data} (for tests and small inputs). */
    static byte[] of(byte[] data) {
        return of(data, Math.max(1, data.length));
    }

    /** The digest of {@code data} fed in pieces of {@code chunk} bytes (the last one shorter). */
    static byte[] of(byte[] data, int chunk) {
        Sha256 sha = new Sha256();
        for (int at = 0; at < data.length; at += chunk) {
            sha.update(data, at, Math.min(chunk, data.length - at));
        }
        return sha.digest();
    }

    private void update(byte[] data, int offset, int count) {
        length += count;
        int at = offset;
        int end = offset + count;
        if (filled > 0) {
            int n = Math.min(64 - filled, count);
            System.arraycopy(data, at, block, filled, n);
            filled += n;
            at += n;
            if (filled < 64) {
                return;
            }
            compress(block, 0);
            filled = 0;
        }
        for (; end - at >= 64; at += 64) {
            compress(data, at);
        }
        System.arraycopy(data, at, block, 0, end - at);
        filled = end - at;
    }

    private byte[] digest() {
        long bits = length * 8;
        block[filled++] = (byte) 0x80;
        if (filled > 56) {
            java.util.Arrays.fill(block, filled, 64, (byte) 0);
            compress(block, 0);
            filled = 0;
        }
        java.util.Arrays.fill(block, filled, 56, (byte) 0);
        for (int i = 0; i < 8; i++) {
            block[63 - i] = (byte) (bits >> (8 * i));
        }
        compress(block, 0);
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = (byte) (h[i >> 2] >> (24 - 8 * (i & 3)));
        }
        return out;
    }

    /** One 64-byte block at {@code off} into the state. */
    private void compress(byte[] m, int off) {
        for (int t = 0; t < 16; t++) {
            int j = off + 4 * t;
            w[t] = (m[j] << 24) | ((m[j + 1] & 0xff) << 16) | ((m[j + 2] & 0xff) << 8) | (m[j + 3] & 0xff);
        }
        for (int t = 16; t < 64; t++) {
            int x = w[t - 15];
            int y = w[t - 2];
            int s0 = Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3);
            int s1 = Integer.rotateRight(y, 17) ^ Integer.rotateRight(y, 19) ^ (y >>> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        int a = h[0];
        int b = h[1];
        int c = h[2];
        int d = h[3];
        int e = h[4];
        int f = h[5];
        int g = h[6];
        int k = h[7];
        for (int t = 0; t < 64; t++) {
            int t1 = k + (Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25))
                    + ((e & f) ^ (~e & g)) + K[t] + w[t];
            int t2 = (Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22))
                    + ((a & b) ^ (a & c) ^ (b & c));
            k = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += k;
    }
}
