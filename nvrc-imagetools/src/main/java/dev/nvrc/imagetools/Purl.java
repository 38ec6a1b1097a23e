package dev.nvrc.imagetools;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The parts of a package URL ({@code pkg:type/namespace/name@version?qualifiers}) that name a
 * component in the SBOM. Only what the image's origins use; not a general purl library.
 *
 * @param purl the whole package URL, as given
 * @param type the package type, e.g. {@code deb} or {@code maven}
 * @param name the last path segment, decoded
 * @param version the decoded version, or empty when the purl has none
 */
public record Purl(String purl, String type, String name, String version) {

    /**
     * Parses a package URL.
     *
     * @param purl for example {@code pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64}
     * @return its type, name and version
     * @throws IllegalArgumentException if it is not {@code pkg:type/[namespace/]name[@version]...}
     */
    public static Purl parse(String purl) {
        if (!purl.startsWith("pkg:")) {
            throw new IllegalArgumentException("not a package URL (no pkg: scheme): " + purl);
        }
        String rest = purl.substring("pkg:".length());
        int end = firstOf(rest, '?', '#');
        rest = rest.substring(0, end);
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("package URL without a type/name: " + purl);
        }
        String type = rest.substring(0, slash);
        String path = rest.substring(slash + 1);
        int at = path.lastIndexOf('@');
        String version = at < 0 ? "" : decode(path.substring(at + 1));
        String name = decode(path.substring(path.lastIndexOf('/', at < 0 ? path.length() : at) + 1,
                at < 0 ? path.length() : at));
        if (name.isEmpty()) {
            throw new IllegalArgumentException("package URL without a name: " + purl);
        }
        return new Purl(purl, type, name, version);
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j < 0 ? s.length() : j;
        }
        return j < 0 ? i : Math.min(i, j);
    }

    /** Percent-decoding only: a {@code +} stays a plus (Debian versions have them). */
    private static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
